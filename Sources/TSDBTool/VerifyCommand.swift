import ArgumentParser
import TSDB

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every CRC and invariant; exit 1 naming file and offset on corruption."
    )

    @OptionGroup var store: StoreFlags

    func run() throws {
        let db = try store.open()
        let report = db.verify()
        try db.close()
        if let repair = report.walRepair { Console.print("WAL tail repaired on open: \(repair)") }
        Console.print(
            "checked \(report.blocksChecked) blocks, \(report.columnsChecked) columns, \(report.samplesChecked) samples, \(report.bucketsChecked) rollup buckets"
        )
        if report.isClean {
            Console.print("ok")
            return
        }
        for p in report.problems { Console.error("corrupt: \(p)") }
        throw ExitCode(1)
    }
}
