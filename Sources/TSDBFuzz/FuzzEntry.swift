import FuzzHarnesses

#if canImport(Glibc)
    import Glibc
#endif

/// The harness named by `FUZZ_HARNESS` (see `Harness`), read once.
private let selected: Harness? = {
    guard let name = getenv("FUZZ_HARNESS").map({ String(cString: $0) }) else { return nil }
    return Harness(rawValue: name)
}()

private func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// libFuzzer's entry point (`make fuzz` builds this target with `--sanitize=fuzzer -DFUZZING`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let harness = selected else {
        printError("tsdb-fuzz: set FUZZ_HARNESS to one of \(Harness.allCases.map(\.rawValue).joined(separator: ", "))")
        exit(2)
    }
    harness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if !FUZZING
    /// Without libFuzzer: replays files through a harness (`tsdb-fuzz HARNESS FILE...`).
    @main struct Replay {
        static func main() {
            let args = CommandLine.arguments.dropFirst()
            guard let name = args.first, let harness = Harness(rawValue: name) else {
                printError("usage: tsdb-fuzz HARNESS FILE... (HARNESS: \(Harness.allCases.map(\.rawValue).joined(separator: ", ")))")
                exit(2)
            }
            for path in args.dropFirst() {
                guard let f = fopen(path, "rb") else { continue }
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let n = fread(&chunk, 1, chunk.count, f)
                    if n <= 0 { break }
                    bytes += chunk[0..<n]
                }
                fclose(f)
                bytes.withUnsafeBytes { harness.run($0) }
            }
        }
    }
#endif
