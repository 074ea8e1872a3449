import PredictService
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process gauges of the Prometheus client convention (process_resident_memory_bytes,
/// process_cpu_seconds_total, process_open_fds, …), read from /proc/self at each scrape into
/// the service's registry. Linux only; elsewhere they stay 0.
final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let openDescriptors: Gauge
    private let maximumDescriptors: Gauge
    private let threads: Gauge
    private let startTime: Gauge
    private let cpu: Counter
    /// CPU seconds already added to the counter, which only goes up by increments.
    private let countedCPU = Mutex<Double>(0)
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    init(registry: PrometheusCollectorRegistry) {
        residentMemory = registry.makeGauge(
            descriptor: .named(
                "process_resident_memory_bytes", help: "Resident memory size in bytes."))
        virtualMemory = registry.makeGauge(
            descriptor: .named(
                "process_virtual_memory_bytes", help: "Virtual memory size in bytes."))
        openDescriptors = registry.makeGauge(
            descriptor: .named("process_open_fds", help: "Number of open file descriptors."))
        maximumDescriptors = registry.makeGauge(
            descriptor: .named("process_max_fds", help: "Maximum number of open file descriptors."))
        threads = registry.makeGauge(
            descriptor: .named("process_threads", help: "Number of OS threads."))
        startTime = registry.makeGauge(
            descriptor: .named(
                "process_start_time_seconds",
                help: "Start time of the process since the Unix epoch, in seconds."))
        cpu = registry.makeCounter(
            descriptor: .named(
                "process_cpu_seconds_total", help: "User and system CPU time spent, in seconds."))
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            maximumDescriptors.set(to: Double(limit.rlim_cur))
        }
        if let stat = Self.statFields(), stat.count > 19, let ticks = Double(stat[19]),
            let uptime = Self.read("/proc/uptime")?.split(separator: " ").first.flatMap({
                Double($0)
            })
        {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let boot = Double(now.tv_sec) - uptime
            startTime.set(to: boot + ticks / ticksPerSecond)
        }
    }

    /// The service's metrics, with these gauges in its registry, refreshed before each scrape.
    static func serviceMetrics() -> ServiceMetrics {
        let registry = PrometheusCollectorRegistry()
        let process = ProcessMetrics(registry: registry)
        return ServiceMetrics(registry: registry, beforeScrape: { process.sample() })
    }

    /// Reads /proc/self/stat (fields after the command name: utime 11, stime 12, threads 17,
    /// vsize 20, rss 21, counting from state = 0) and counts /proc/self/fd.
    func sample() {
        if let stat = Self.statFields(), stat.count > 21 {
            let user = Double(stat[11]) ?? 0
            let system = Double(stat[12]) ?? 0
            let seconds = (user + system) / ticksPerSecond
            let delta = countedCPU.withLock { counted in
                let delta = max(0, seconds - counted)
                counted += delta
                return delta
            }
            if delta > 0 { cpu.increment(by: delta) }
            threads.set(to: Double(stat[17]) ?? 0)
            virtualMemory.set(to: Double(stat[20]) ?? 0)
            residentMemory.set(to: (Double(stat[21]) ?? 0) * pageSize)
        }
        if let directory = opendir("/proc/self/fd") {
            var count = 0
            while readdir(directory) != nil { count += 1 }
            closedir(directory)
            // Less ".", ".." and the descriptor of the listing itself.
            openDescriptors.set(to: Double(max(0, count - 3)))
        }
    }

    /// /proc/self/stat split after the parenthesised command name, which may hold spaces.
    private static func statFields() -> [Substring]? {
        guard let text = read("/proc/self/stat"), let close = text.lastIndex(of: ")") else {
            return nil
        }
        return text[text.index(after: close)...].split(separator: " ")
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
