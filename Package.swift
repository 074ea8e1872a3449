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
    ],
    targets: [
        // libfcgi, found through pkg-config; the shim wraps only what Swift cannot import.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        // Pure Swift ONNX reader and executor: no C, no I/O, no networking.
        .target(name: "ONNXRuntime"),
        // Model bundles, feature validation, JSON and HTTP-shaped request handling.
        .target(
            name: "PredictService",
            dependencies: [
                "ONNXRuntime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The long-lived FastCGI worker: argument parsing, accept loops, signals.
        .executableTarget(
            name: "PredictFCGI",
            dependencies: [
                "CFastCGI",
                "PredictService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Micro-benchmark of the model path alone (decode, evaluate, encode); prints figures.
        .executableTarget(
            name: "PredictBench",
            dependencies: ["PredictService", "ONNXRuntime"]
        ),
        // The parity fixtures are read in place (located through #filePath), not bundled.
        .testTarget(name: "ONNXRuntimeTests", dependencies: ["ONNXRuntime"], exclude: ["Fixtures"]),
        .testTarget(
            name: "PredictServiceTests",
            dependencies: ["PredictService", "ONNXRuntime"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
