import Foundation
import ONNXRuntime

/// `PredictBench --runtime MODEL.onnx ROWS.json`: the ONNX runtime alone on any model, for
/// `make bench-runtime` to set beside onnxruntime's InferenceSession.run on the same rows.
/// ROWS.json is in the parity fixtures' format (only `cases[].inputs` is read); every row of
/// every case becomes a one-row feed. Prints one JSON line:
///
///     {"model": PATH, "rows": R, "one_row_us": …, "batch_rows": 1000, "batch_us_per_row": …}
///
/// `one_row_us` is the median time of one single-row run, the runs cycling through the R
/// rows; `batch_us_per_row` the median time of one 1,000-row run (the rows repeated in
/// order) divided by 1,000. Medians are over the Stopwatch's batches (9 × 100 ms unless
/// --batches / --batch-ms say otherwise).
enum RuntimeBench {
    static let batchRows = 1000

    static func run(
        model path: String, rows rowsPath: String, stopwatch: Stopwatch
    ) throws -> String {
        guard let modelData = FileManager.default.contents(atPath: path) else {
            throw BenchError("cannot read \(path)")
        }
        let model = try InferenceModel(onnx: [UInt8](modelData))
        let rows = try readRows(rowsPath, for: model)
        guard !rows.isEmpty else { throw BenchError("\(rowsPath) holds no rows") }
        let batch = model.inputs.indices.map { input in
            stack((0..<batchRows).map { rows[$0 % rows.count][input] })
        }
        var sink = 0
        var next = 0
        // Measured one after the other, not interleaved: a 1,000-row run allocates
        // megabytes, which would leave the single-row runs cold caches and fresh pages.
        let oneRow = try stopwatch.measure([
            .init(name: "one-row", operationsPerCall: 1) {
                sink &+= try model.run(rows[next]).count
                next = next + 1 == rows.count ? 0 : next + 1
            }
        ])[0]
        let batched = try stopwatch.measure([
            .init(name: "batch", operationsPerCall: batchRows) {
                sink &+= try model.run(batch).count
            }
        ])[0]
        let escaped = path.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        func microseconds(_ nanoseconds: Double) -> String {
            String(format: "%.3f", nanoseconds / 1000)
        }
        return "{\"model\": \"\(escaped)\", \"rows\": \(rows.count), "
            + "\"one_row_us\": \(microseconds(oneRow.median)), \"batch_rows\": \(batchRows), "
            + "\"batch_us_per_row\": \(microseconds(batched.median))}"
            + (sink == -1 ? " " : "")
    }

    /// One positional feed per row: every case's inputs split along their first axis.
    private static func readRows(_ path: String, for model: InferenceModel) throws -> [[Tensor]] {
        guard let data = FileManager.default.contents(atPath: path),
            let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = document["cases"] as? [[String: Any]]
        else { throw BenchError("\(path): expected a JSON object with \"cases\"") }
        var rows: [[Tensor]] = []
        for item in cases {
            let inputs = item["inputs"] as? [String: Any] ?? [:]
            var columns: [[Tensor]] = []
            for info in model.inputs {
                guard let spec = inputs[info.name] as? [String: Any],
                    let shape = spec["shape"] as? [Int], let values = spec["values"] as? [Any],
                    let count = shape.first, count > 0
                else { throw BenchError("\(path): a case lacks input '\(info.name)'") }
                let tensor = try makeTensor(info.elementType, shape, values, path)
                columns.append((0..<count).map { slice(tensor, row: $0) })
            }
            guard let count = columns.first?.count, columns.allSatisfy({ $0.count == count })
            else { continue }
            for row in 0..<count { rows.append(columns.map { $0[row] }) }
        }
        return rows
    }

    private static func makeTensor(
        _ type: ElementType, _ shape: [Int], _ values: [Any], _ path: String
    ) throws -> Tensor {
        guard shape.reduce(1, *) == values.count else {
            throw BenchError("\(path): shape \(shape) does not hold \(values.count) values")
        }
        func number(_ value: Any) -> Double {
            switch value {
            case let number as NSNumber: number.doubleValue
            case "Infinity" as String: .infinity
            case "-Infinity" as String: -.infinity
            default: .nan
            }
        }
        let storage: Tensor.Storage
        switch type {
        case .float: storage = .float(values.map { Float(number($0)) })
        case .double: storage = .double(values.map(number))
        case .int64: storage = .int64(values.map { ($0 as? NSNumber)?.int64Value ?? 0 })
        case .bool: storage = .bool(values.map { ($0 as? NSNumber)?.boolValue ?? false })
        case .string: storage = .string(values.map { $0 as? String ?? "\($0)" })
        default: throw BenchError("\(path): inputs of \(type) are not supported")
        }
        return Tensor(shape: shape, storage: storage)
    }

    private static func slice(_ tensor: Tensor, row: Int) -> Tensor {
        let width = tensor.shape.dropFirst().reduce(1, *)
        let range = (row * width)..<((row + 1) * width)
        let shape = [1] + tensor.shape.dropFirst()
        switch tensor.storage {
        case .float(let v): return Tensor(shape: shape, storage: .float(Array(v[range])))
        case .double(let v): return Tensor(shape: shape, storage: .double(Array(v[range])))
        case .int64(let v): return Tensor(shape: shape, storage: .int64(Array(v[range])))
        case .string(let v): return Tensor(shape: shape, storage: .string(Array(v[range])))
        case .bool(let v): return Tensor(shape: shape, storage: .bool(Array(v[range])))
        }
    }

    /// Rows of one input stacked along the first axis.
    private static func stack(_ rows: [Tensor]) -> Tensor {
        let shape = [rows.count] + rows[0].shape.dropFirst()
        switch rows[0].storage {
        case .float: return Tensor(shape: shape, storage: .float(rows.flatMap(floats)))
        case .double: return Tensor(shape: shape, storage: .double(rows.flatMap(doubles)))
        case .int64: return Tensor(shape: shape, storage: .int64(rows.flatMap(ints)))
        case .string: return Tensor(shape: shape, storage: .string(rows.flatMap(strings)))
        case .bool: return Tensor(shape: shape, storage: .bool(rows.flatMap(bools)))
        }
    }

    private static func floats(_ t: Tensor) -> [Float] {
        if case .float(let v) = t.storage { v } else { [] }
    }
    private static func doubles(_ t: Tensor) -> [Double] {
        if case .double(let v) = t.storage { v } else { [] }
    }
    private static func ints(_ t: Tensor) -> [Int64] {
        if case .int64(let v) = t.storage { v } else { [] }
    }
    private static func strings(_ t: Tensor) -> [String] {
        if case .string(let v) = t.storage { v } else { [] }
    }
    private static func bools(_ t: Tensor) -> [Bool] {
        if case .bool(let v) = t.storage { v } else { [] }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
