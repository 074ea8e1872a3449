// The model path in process, without sockets: what one request costs the worker beyond
// FastCGI. Prints one line per figure: `MICRO <name> <median ns>`.
//
//   PredictBench [MODEL_DIR] [CLIENT_JSON]
import Foundation
import Logging
import ONNXRuntime
import PredictService

let arguments = CommandLine.arguments.dropFirst()
let path = arguments.first ?? "models/bank-marketing"
let clientPath = arguments.dropFirst().first ?? "examples/client.json"
let bundle = try ModelBundle.load(path: path)
let body = [UInt8](try Data(contentsOf: URL(filePath: clientPath)))
let client = try JSONParser.parse(body)
let clock = ContinuousClock()

/// Median over 7 rounds of the mean time per call, in nanoseconds.
func measure(
    _ name: String, iterations: Int, perCall divisor: Int = 1, _ work: () throws -> Void
)
    rethrows
{
    var rounds: [Double] = []
    for _ in 0..<7 {
        let start = clock.now
        for _ in 0..<iterations { try work() }
        let elapsed = (clock.now - start) / iterations / divisor
        rounds.append(
            Double(elapsed.components.seconds) * 1e9
                + Double(elapsed.components.attoseconds) / 1e9)
    }
    rounds.sort()
    print("MICRO \(name) \(Int(rounds[3].rounded()))")
}

// One row's feeds, decoded once, so that only the graph is timed.
let model = try InferenceModel(
    onnx: [UInt8](try Data(contentsOf: URL(filePath: path + "/model.onnx"))))
func feeds(rows: Int) -> [Tensor] {
    model.inputs.map { input in
        guard case .object(let members) = client,
            let value = members.first(where: { $0.key == input.name })?.value
        else { fatalError("examples/client.json lacks \(input.name)") }
        switch value {
        case .string(let text):
            return Tensor(shape: [rows, 1], storage: .string(Array(repeating: text, count: rows)))
        case .number(let number):
            return Tensor(
                shape: [rows, 1], storage: .float(Array(repeating: Float(number), count: rows)))
        default: fatalError("unexpected value for \(input.name)")
        }
    }
}
let one = feeds(rows: 1)
let thousand = feeds(rows: 1000)
try measure("model-run-1-row", iterations: 20_000) { _ = try model.run(one) }
try measure("model-run-per-row-of-1000", iterations: 20, perCall: 1000) {
    _ = try model.run(thousand)
}
try measure("predict-1-row", iterations: 20_000) { _ = try bundle.predict(instance: client) }
let service = PredictionService(bundle: bundle, logger: Logger(label: "bench"))
let head = RequestHead(
    method: "POST", path: "/predict", contentType: "application/json", contentLength: body.count)
measure("handle-request", iterations: 20_000) { _ = service.handle(head) { _ in body } }
