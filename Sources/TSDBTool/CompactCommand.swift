import ArgumentParser
import TSDB

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Cut the head, merge blocks, build rollups, fold in late samples, apply retention."
    )

    @OptionGroup var store: StoreFlags

    func run() throws {
        let db = try store.open()
        try db.flush()
        let r = try db.compact()
        try db.close()
        Console.print(
            """
            compacted in \(Console.format(r.seconds, 3)) s: \(r.rangesRewritten) ranges rewritten (\(r.rawBlocksIn) raw blocks in, \
            \(r.rawBlocksOut) out), \(r.rollupBlocksOut) rollup blocks written (\(r.rollupBlocksIn) replaced), \
            \(r.samplesRolledUp) samples rolled up, \(r.samplesDropped) raw samples past retention dropped, \
            \(r.expiredRawBlocks) raw and \(r.expiredRollupBlocks) rollup blocks expired
            """)
    }
}
