// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "predict-fcgi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "predict-fcgi", targets: ["PredictFCGI"]),
        .library(name: "ONNXRuntime", targets: ["ONNXRuntime"]),
        .library(name: "PredictService", targets: ["PredictService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libfcgi, found through pkg-config; the shim wraps only what Swift cannot import.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        // Linux calls Swift's Glibc module does not import (epoll, eventfd, accept4,
        // pthread_setname_np).
        .systemLibrary(name: "CLinux"),
        // Pure Swift ONNX reader and executor: no C, no I/O, no networking.
        .target(name: "ONNXRuntime"),
        // What the worker checks of a FastCGI connection before libfcgi reads it: pure Swift
        // over bytes, so it is unit-tested and fuzzed without a socket.
        .target(name: "FastCGIProtocol"),
        // Model bundles and their repository, feature validation, JSON, HTTP-shaped request
        // handling (the service's API and the Open Inference Protocol), API keys and metrics.
        .target(
            name: "PredictService",
            dependencies: [
                "ONNXRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The long-lived FastCGI worker: argument parsing, the connection gate, serving threads,
        // signals.
        .executableTarget(
            name: "PredictFCGI",
            dependencies: [
                "CFastCGI",
                "CLinux",
                "FastCGIProtocol",
                "PredictService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Micro-benchmark of the model path alone (decode, evaluate, encode); prints figures.
        .executableTarget(
            name: "PredictBench",
            dependencies: [
                "PredictService", "ONNXRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The parity fixtures are read in place (located through #filePath), not bundled.
        .testTarget(name: "ONNXRuntimeTests", dependencies: ["ONNXRuntime"], exclude: ["Fixtures"]),
        .testTarget(
            name: "PredictServiceTests",
            dependencies: ["PredictService", "ONNXRuntime"]
        ),
        .testTarget(name: "FastCGIProtocolTests", dependencies: ["FastCGIProtocol"]),
        // The worker's C seam (SystemCall): libfcgi's failures through a replaced function
        // table, and libfcgi itself over a socket pair.
        .testTarget(
            name: "PredictFCGITests",
            dependencies: [
                "PredictFCGI", "CFastCGI", "PredictService",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses (Tests/Fuzz), compiled only when PREDICT_FUZZ=1 (`make fuzz`, which also
// passes -sanitize=fuzzer): each is an executable whose `main` is libFuzzer's, so ordinary
// builds and `swift test` never see them.
if Context.environment["PREDICT_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzJSON", ["PredictService"]),
        ("FuzzModelLoading", ["ONNXRuntime"]),
        ("FuzzFastCGIPreamble", ["FastCGIProtocol"]),
        (
            "FuzzPredictRequest",
            ["PredictService", .product(name: "Logging", package: "swift-log")]
        ),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name, dependencies: target.dependencies,
                path: "Tests/Fuzz/\(target.name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
