import ArgumentParser
import TSDB

@main
struct TSDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Operate a metrics store: import, export, inspect, verify, compact.",
        subcommands: [
            ImportCommand.self, ExportCommand.self, InspectCommand.self, VerifyCommand.self, CompactCommand.self,
            CrashWorkerCommand.self,
        ]
    )
}
