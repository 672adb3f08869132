import Consumer
import Testing

@testable import MetricsService

/// The `aggregators` list: built-in aggregators by name, an unknown name refused with its path.
@Suite struct AggregatorConfigTests {
    @Test func namedAggregatorsAreBuilt() throws {
        let config = try ServiceFileConfig.parse("aggregators: [ingest_count]\n", source: "t.yaml")
        #expect(config.aggregators == [.ingestCount])
        #expect(config.aggregators.map { $0.makeAggregator().name } == [IngestCountAggregator().name])
        #expect(try ServiceFileConfig.parse("aggregators: []\n", source: "t.yaml").aggregators.isEmpty)
    }

    @Test func unknownAggregatorIsRefused() {
        do {
            _ = try ServiceFileConfig.parse("aggregators:\n  - ingest_cnt\n", source: "t.yaml")
            Issue.record("accepted an unknown aggregator")
        } catch {
            #expect(error.path == "aggregators[0]" && error.line == 2, "\(error)")
        }
    }
}
