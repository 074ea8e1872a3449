import ArgumentParser
import CFastCGI
import Logging
import PredictService

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The long-lived worker: loads the models once and answers nginx until SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve predictions over FastCGI.",
        discussion: """
            Listens on the socket passed as fd 0 (spawn-fcgi, systemd StandardInput=socket) \
            or on --socket. SIGHUP reloads the model (or each model of --models) from the same \
            path and the --api-keys file; a model that fails to load or to match its golden \
            cases is refused and its previous version keeps serving. SIGTERM stops accepting, \
            finishes requests in flight and exits 0.
            """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "With --models: the model POST /predict serves (default: the only one).")
    var defaultModel: String?

    @Option(
        help: ArgumentHelp(
            "Require 'Authorization: Bearer KEY' on every route but health checks and metrics, "
                + "with the keys of this file (see 'predict-fcgi keys').", valueName: "file"))
    var apiKeys: String?

    @Flag(inversion: .prefixedNo, help: "Count requests and serve them at GET /metrics.")
    var metrics = true

    @Option(help: "Accept threads, each serving one request at a time (default: 2 per core).")
    var threads: Int?

    @Option(help: "Create and listen on this unix socket instead of the inherited fd 0.")
    var socket: String?

    @Option(help: "Listen backlog for --socket.")
    var backlog: Int = 1024

    @Option(help: "Largest accepted request body, in bytes.")
    var maxBodyBytes: Int = 1 << 20

    @Option(help: "Most instances in one {\"instances\": [...]} request.")
    var maxBatch: Int = 1000

    @Option(help: "Seconds to let requests in flight finish after SIGTERM.")
    var drainSeconds: Int = 10

    func validate() throws {
        if let threads, !(1...1024).contains(threads) {
            throw ValidationError("--threads must be between 1 and 1024, found \(threads)")
        }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard maxBatch > 0 else { throw ValidationError("--max-batch must be positive") }
        guard drainSeconds >= 0 else {
            throw ValidationError("--drain-seconds may not be negative")
        }
    }

    func run() throws {
        let logger = options.bootstrapLogging()
        let service: PredictionService
        do {
            service = try PredictionService(
                source: options.source, defaultModel: defaultModel, keysPath: apiKeys,
                limits: ServiceLimits(maximumBodyBytes: maxBodyBytes, maximumBatchSize: maxBatch),
                metrics: metrics ? ProcessMetrics.serviceMetrics() : nil, logger: logger)
        } catch {
            printError("predict-fcgi serve: \(error.message)")
            throw ExitCode.failure
        }

        let fastCGI = SystemCall.FastCGI.live
        do {
            try fastCGI.initialize()
        } catch {
            printError("predict-fcgi serve: \(error)")
            throw ExitCode.failure
        }
        let listenSocket = try openListener(fastCGI)
        Signals.prepareProcess()
        let threadCount = threads ?? max(2, 2 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let server: FastCGIServer
        do {
            server = try FastCGIServer(
                service: service, listenSocket: listenSocket, fastCGI: fastCGI, logger: logger)
        } catch {
            printError("predict-fcgi serve: \(error)")
            throw ExitCode.failure
        }
        do {
            try server.start(threads: threadCount)
        } catch {
            printError("predict-fcgi serve: cannot start \(threadCount) threads: \(error)")
            throw ExitCode.failure
        }
        for bundle in service.bundles {
            logger.info(
                "serving",
                metadata: [
                    "model.name": "\(bundle.name)", "model.version": "\(bundle.version)",
                    "model.sha256": "\(bundle.sha256)",
                    "default": "\(bundle.name == service.bundle.name)",
                ])
        }
        logger.info(
            "listening",
            metadata: [
                "threads": "\(threadCount)", "listen": "\(socket ?? "fd 0")",
                "keys": "\(apiKeys == nil ? "off" : "required")", "metrics": "\(metrics)",
            ])

        while true {
            let signal = Signals.wait()
            if signal == SIGHUP {
                service.reload()
                continue
            }
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            let drained = server.stop(timeout: .seconds(drainSeconds))
            if drained {
                logger.info("stopped")
            } else {
                logger.warning("drain timed out", metadata: ["seconds": "\(drainSeconds)"])
            }
            return
        }
    }

    /// fd 0 when a process manager passed a listening socket, else a socket at --socket.
    private func openListener(_ fastCGI: SystemCall.FastCGI) throws -> Int32 {
        guard let socket else {
            guard !fastCGI.isCGI() else {
                printError(
                    "predict-fcgi serve: fd 0 is not a listening socket; pass --socket PATH or "
                        + "start the worker under spawn-fcgi or systemd socket activation")
                throw ExitCode.failure
            }
            return CFastCGI_listenSocketFileno()
        }
        do {
            return try fastCGI.openSocket(socket, backlog: Int32(backlog))
        } catch {
            printError("predict-fcgi serve: cannot listen on \(socket): \(error)")
            throw ExitCode.failure
        }
    }
}
