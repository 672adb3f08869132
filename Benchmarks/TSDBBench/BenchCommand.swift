import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb-bench",
        abstract: "Benchmarks of the metrics store on a generated fleet workload.",
        subcommands: [
            StorageBenchmark.self, QueryBenchmark.self, GenerateCommand.self, ConsumerBenchmark.self, AlertsBenchmark.self,
            ServiceBenchmark.self,
        ]
    )
}
