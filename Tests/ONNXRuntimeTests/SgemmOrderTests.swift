import Foundation
import Testing

@testable import ONNXRuntime

/// MatMul against onnxruntime bit for bit, on the grid of shapes and the five routes
/// of `Fixtures/matmul/orders.json` (written by `python -m onnx_fixtures.matmul`). A, B and
/// the bias come from the same seeded splitmix64 on both sides; the fixture holds a hash of
/// onnxruntime's output bits per shape.
@Suite("MatMul in MLAS's order")
struct SgemmOrderTests {
    static let routes = ["initializer", "input", "vector", "bias", "double"]

    private struct Grid {
        let rows: [Int]
        let depths: [Int]
        let columns: [Int]
        let hashes: [String: [[String]]]
    }

    private static func grid() throws -> Grid {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/matmul/orders.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let document = try #require(object as? [String: Any])
        var hashes: [String: [[String]]] = [:]
        for route in Self.routes {
            hashes[route] = try #require(document[route] as? [[String]])
        }
        return Grid(
            rows: try #require(document["rows"] as? [Int]),
            depths: try #require(document["depths"] as? [Int]),
            columns: try #require(document["columns"] as? [Int]), hashes: hashes)
    }

    /// onnx_fixtures.matmul.values: splitmix64 draws as m · 2^(e - 28), m a signed 24-bit
    /// integer, e in 0...15.
    static func values(_ seed: UInt64, _ count: Int) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let mantissa = Int64(z >> 40) - (1 << 23)
            let scale = Int(z >> 32 & 15)
            return Float(mantissa) * Float(sign: .plus, exponent: scale - 28, significand: 1)
        }
    }

    static func seeds(_ m: Int, _ k: Int, _ n: Int) -> (UInt64, UInt64, UInt64) {
        let base = UInt64(m) << 40 | UInt64(k) << 16 | UInt64(n)
        return (base, base ^ 0x5BD1_E995, base ^ 0x27D4_EB2F)
    }

    /// FNV-1a over bit patterns, one word at a time, cut to its low 32 bits.
    static func fnv1a(_ words: [UInt64]) -> String {
        var digest: UInt64 = 0xCBF2_9CE4_8422_2325
        for word in words { digest = (digest ^ word) &* 0x100_0000_01B3 }
        let hex = String(digest & 0xFFFF_FFFF, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The route's graph as onnx_fixtures.matmul.graph builds it, evaluated on A; the
    /// output's bit patterns.
    static func evaluate(_ route: String, _ m: Int, _ k: Int, _ n: Int) throws -> [UInt64] {
        let (seedA, seedB, seedC) = seeds(m, k, n)
        func tensor(_ shape: [Int], _ values: [Float]) -> Tensor {
            route == "double"
                ? Tensor(shape: shape, storage: .double(values.map { Double($0) * 1.000001 }))
                : floats(shape, values)
        }
        let a = tensor([m, k], values(seedA, m * k))
        let b = tensor(route == "vector" ? [k] : [k, n], values(seedB, k * n))
        var feeds = [("A", a)]
        var constants: [(String, Tensor)] = []
        var nodes = [
            ONNX.node("MatMul", inputs: ["A", "B"], outputs: [route == "bias" ? "P" : "Y"])
        ]
        if route == "input" { feeds.append(("B", b)) } else { constants.append(("B", b)) }
        if route == "bias" {
            constants.append(("C", floats([1, n], values(seedC, n))))
            nodes.append(ONNX.node("Add", inputs: ["P", "C"], outputs: ["Y"]))
        }
        let bytes = ONNX.model(
            nodes: nodes,
            inputs: feeds.map { name, tensor in
                ONNX.value(
                    name, OneNodeGraph.code(tensor.elementType), tensor.shape.map { Int64($0) })
            },
            outputs: [OneNodeGraph.untyped("Y")],
            initializers: constants.map(OneNodeGraph.initializer), opsets: [("", 17)])
        // Built without the serving check that every input has the batch's rows: B as a
        // graph input has K.
        let graph = try #require(try ModelProto(bytes: bytes).graph)
        let builder = try PlanBuilder(graph: graph, opsets: ["": 17], checksBatch: false)
        let outputs = try builder.plan.run(
            inputs: builder.inputs, feed: { index in feeds[index].1 }, output: { $0 })
        switch outputs.first?.denseTensor.storage {
        case .double(let values): return values.map(\.bitPattern)
        case .float(let values): return values.map { UInt64($0.bitPattern) }
        default: return []
        }
    }

    @Test(
        "MatMul matches onnxruntime's bits on every shape of the grid",
        arguments: Self.routes)
    func grid(route: String) throws {
        let grid = try Self.grid()
        let expected = try #require(grid.hashes[route])
        var mismatches: [String] = []
        var cases = 0
        for (rowIndex, m) in grid.rows.enumerated() {
            var index = 0
            for k in grid.depths {
                for n in route == "vector" ? [1] : grid.columns {
                    let found = Self.fnv1a(try Self.evaluate(route, m, k, n))
                    if found != expected[rowIndex][index] { mismatches.append("\(m)×\(k)×\(n)") }
                    index += 1
                    cases += 1
                }
            }
        }
        #expect(
            mismatches.count == 0,
            "\(route): \(mismatches.count) of \(cases) shapes differ, first \(mismatches.prefix(8))"
        )
    }

    @Test("A step whose double lands halfway between two floats is redone as a fused one")
    func halfwayStep() {
        // (2048 + 2^-12) + (1 + 2^-23)·2^-13·(1 - 2^-23): 2^-59 below the midpoint between
        // 2048 + 2^-12 and 2048 + 2^-11. A fused multiply-add rounds down; rounding through a
        // double lands on the midpoint and ties to the even float above.
        let c: Float = 2048 + 0x1p-12
        let a: [Float] = [c, 1 + 0x1p-23]
        let b: [Float] = [1, 0x1p-13 * (1 - 0x1p-23)]
        #expect(c.addingProduct(a[1], b[1]) == c)
        var out: [Float] = [0]
        SgemmOrder.blocked(a, b, &out, m: 1, k: 2, n: 1, block: 256, accumulate: false)
        #expect(out == [c])
    }

    @Test("The shared generator gives the values onnx_fixtures.matmul.values gives")
    func generator() {
        // np.float32 of onnx_fixtures.matmul.values(1, 4).
        #expect(Self.values(1, 4) == [1.7039749e+01, 3.0722715e-02, 4.8230676e+02, -3.4775510e-03])
    }
}
