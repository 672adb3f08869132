import ArgumentParser
import TSDB

@main
struct TSDBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Operate a metrics store: import, export, inspect, verify, compact, query, serve.",
        subcommands: [
            ImportCommand.self, ExportCommand.self, InspectCommand.self, VerifyCommand.self, CompactCommand.self, QueryCommand.self,
            ServeCommand.self, DetectCommand.self,
            CrashWorkerCommand.self,
        ]
    )
}
