import ArgumentParser
import CFastCGI
import Logging
import PredictService

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The long-lived worker: loads the model once and answers nginx until SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve predictions over FastCGI.",
        discussion: """
            Listens on the socket passed as fd 0 (spawn-fcgi, systemd StandardInput=socket) \
            or on --socket. SIGHUP reloads the model from the same path, keeping the old one \
            if the new one fails to load or to match its golden cases; SIGTERM stops accepting, \
            finishes requests in flight and exits 0.
            """
    )

    @OptionGroup var options: ModelOptions

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
        let bundle = try options.loadBundle(for: "serve")
        let service = PredictionService(
            bundle: bundle,
            limits: ServiceLimits(maximumBodyBytes: maxBodyBytes, maximumBatchSize: maxBatch),
            logger: logger)

        guard FCGX_Init() == 0 else {
            printError("predict-fcgi serve: FCGX_Init failed")
            throw ExitCode.failure
        }
        let listenSocket = try openListener()
        Signals.prepareProcess()
        let threadCount = threads ?? max(2, 2 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let server = FastCGIServer(service: service, listenSocket: listenSocket, logger: logger)
        guard let workers = server.start(threads: threadCount) else {
            printError("predict-fcgi serve: cannot start \(threadCount) threads")
            throw ExitCode.failure
        }
        logger.info(
            "serving",
            metadata: [
                "model.name": "\(bundle.name)", "model.version": "\(bundle.version)",
                "model.sha256": "\(bundle.sha256)", "threads": "\(threadCount)",
                "listen": "\(socket ?? "fd 0")",
            ])

        while true {
            let signal = Signals.wait()
            if signal == SIGHUP {
                reload(into: service, logger: logger)
                continue
            }
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            let drained = server.stop(threads: workers, timeout: .seconds(drainSeconds))
            if drained {
                logger.info("stopped")
            } else {
                logger.warning("drain timed out", metadata: ["seconds": "\(drainSeconds)"])
            }
            return
        }
    }

    /// fd 0 when a process manager passed a listening socket, else a socket at --socket.
    private func openListener() throws -> Int32 {
        guard let socket else {
            guard FCGX_IsCGI() == 0 else {
                printError(
                    "predict-fcgi serve: fd 0 is not a listening socket; pass --socket PATH or "
                        + "start the worker under spawn-fcgi or systemd socket activation")
                throw ExitCode.failure
            }
            return CFastCGI_listenSocketFileno()
        }
        unlink(socket)
        let descriptor = FCGX_OpenSocket(socket, Int32(backlog))
        guard descriptor >= 0 else {
            printError("predict-fcgi serve: cannot listen on \(socket)")
            throw ExitCode.failure
        }
        return descriptor
    }

    /// SIGHUP: load and check the model at the same path; swap it in only if it passes.
    private func reload(into service: PredictionService, logger: Logger) {
        let previous = service.bundle
        do {
            let bundle = try ModelBundle.load(path: options.model)
            if bundle.goldenPath != nil {
                let report = try bundle.replayGolden()
                guard report.passed else {
                    logger.error(
                        "reload refused",
                        metadata: [
                            "model.version": "\(bundle.version)",
                            "reason": "\(report.mismatches.count) golden cases mismatch",
                            "first": "\(report.mismatches.first?.message ?? "-")",
                        ])
                    return
                }
            }
            service.replace(with: bundle)
            logger.info(
                "model reloaded",
                metadata: [
                    "model.previous": "\(previous.version)", "model.version": "\(bundle.version)",
                    "model.sha256": "\(bundle.sha256)",
                ])
        } catch {
            logger.error(
                "reload refused",
                metadata: ["model.version": "\(previous.version)", "reason": "\(error.message)"])
        }
    }
}
