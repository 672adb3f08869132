/// `compaction.journal`: the inputs a compaction replaces and the outputs it writes, made
/// durable before the first output is renamed into place. On open, a journal whose outputs all
/// exist is finished (inputs deleted); otherwise its outputs are removed (inputs still whole).
struct CompactionJournal: Equatable {
    var inputs: [String] = []
    var outputs: [String] = []

    static let magic: [UInt8] = Array("TSCJ".utf8)
    static let version: UInt8 = 1

    func encode() -> [UInt8] {
        var w = SealedFile.begin(magic: CompactionJournal.magic, version: CompactionJournal.version, capacity: 256)
        w.writeUVarint(UInt64(inputs.count))
        for p in inputs { w.writeString(p) }
        w.writeUVarint(UInt64(outputs.count))
        for p in outputs { w.writeString(p) }
        SealedFile.seal(&w)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], file: String) throws(CorruptionError) -> CompactionJournal {
        try SealedFile.open(bytes, file: file, magic: magic, version: version) { (r) throws(DecodeError) -> CompactionJournal in
            var j = CompactionJournal()
            for _ in 0..<(try r.readCount(limit: 1 << 20, "input count")) { j.inputs.append(try r.readString()) }
            for _ in 0..<(try r.readCount(limit: 1 << 20, "output count")) { j.outputs.append(try r.readString()) }
            return j
        }
    }

    /// Paths are relative to the store directory.
    static func recover(store: Store) throws -> String? {
        let path = store.directory + "/" + FileNames.compactionJournal
        guard store.fs.exists(path) else { return nil }
        let bytes = try store.fs.readFile(path)
        guard let journal = try? decode(bytes, file: path) else {
            // A torn journal was never acted on: its outputs were not renamed yet.
            try store.fs.remove(path)
            return "removed torn compaction journal"
        }
        let complete = journal.outputs.allSatisfy { store.fs.exists(store.directory + "/" + $0) }
        if complete {
            for p in journal.inputs { try store.fs.removeItem(store.directory + "/" + p) }
        } else {
            for p in journal.outputs { try store.fs.removeItem(store.directory + "/" + p) }
        }
        try store.fs.remove(path)
        try store.fs.syncDirectory(store.directory)
        return complete
            ? "finished compaction of \(journal.inputs.count) inputs" : "rolled back compaction of \(journal.inputs.count) inputs"
    }
}
