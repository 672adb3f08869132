import Consumer
import Foundation
import Logging
import MetricsService

/// `metrics-consumer [--demo] [--config FILE]`: Kafka in, durable store, Redis mirror, query
/// API, alerting, all built by `MetricsServiceBuilder` from the environment and the config file.
/// With no `KAFKA_BROKERS` it starts librdkafka's mock cluster in-process; `--demo` produces a
/// fleet workload into it. SIGINT/SIGTERM: finish the batch, commit, close, exit 0.
@main
struct MetricsConsumerMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration(environment: ProcessInfo.processInfo.environment, arguments: arguments)
        } catch {
            ServiceLog.bootstrap(level: .info).error("metrics-consumer: \(error)")
            exit(1)
        }
        let logger = ServiceLog.bootstrap(level: configuration.logLevel ?? .info)
        do {
            try await run(configuration, demo: arguments.contains("--demo"), logger: logger)
        } catch {
            logger.error("metrics-consumer: \(error)")
            exit(1)
        }
    }

    static func run(_ configuration: ServiceConfiguration, demo: Bool, logger: Logger) async throws {
        var builder = MetricsServiceBuilder(configuration: configuration, logger: logger)
        var cluster: MockKafkaCluster?
        if configuration.consumer.kafkaBrokers == nil {
            let mock = try MockKafkaCluster(brokers: 1)
            for topic in configuration.consumer.topics {
                try mock.createTopic(topic, partitions: 3)
                try mock.createTopic(DeadLetterQueue.topic(for: topic), partitions: 1)
            }
            builder.kafkaOverrides["bootstrap.servers"] = mock.bootstrapServers
            cluster = mock
            logger.info(
                "embedded Kafka (librdkafka mock cluster) at \(mock.bootstrapServers), topics \(configuration.consumer.topics.joined(separator: ", "))"
            )
        }
        let service = try await builder.build()
        let producer =
            demo
            ? try DemoProducer(config: configuration.consumer, bootstrapServers: builder.kafkaConfig()["bootstrap.servers"] ?? "") : nil
        producer?.start()
        let signals = SignalWatcher(
            logger: logger, onStop: { service.stop() },
            onReload: {
                guard let path = configuration.configPath else {
                    return logger.info("SIGHUP: no config file to reload (built-in defaults)")
                }
                do {
                    service.reload(try ServiceFileConfig.load(path: path))
                    logger.info("SIGHUP: reloaded \(path) (alert rules, anomaly, SLOs, capacity, recording rules)")
                } catch {
                    logger.error("SIGHUP: \(error); the previous configuration stays in force")
                }
            })
        let status = StatusLine(
            service: service.consumer, mirror: service.mirrorStage, redisPort: configuration.redis?.options.port,
            httpPort: service.httpPort ?? 0, logger: logger)
        status.start()
        do { try await service.run() } catch { logger.error("consumer loop stopped: \(error)") }
        status.stop()
        producer?.stop()
        signals.cancel()
        try await service.shutdown()
        let s = service.consumer.stats
        logger.info(
            "stopped cleanly: \(s.stored) events stored, \(s.rejected) rejected, offsets recorded in \(configuration.dataDirectory)")
        // Everything is flushed, fsynced and committed: exit now, with the embedded cluster still
        // up, rather than tear it down under librdkafka clients that would log their disconnects.
        withExtendedLifetime(cluster) { exit(0) }
    }
}
