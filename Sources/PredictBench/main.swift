import Foundation
import Logging
import ONNXRuntime
import PredictService

let path = CommandLine.arguments.dropFirst().first ?? "models/bank-marketing"
let bundle = try ModelBundle.load(path: path)
let body = [UInt8](try Data(contentsOf: URL(filePath: "examples/client.json")))
let service = PredictionService(bundle: bundle, logger: Logger(label: "bench"))
let head = RequestHead(
    method: "POST", path: "/predict", contentType: "application/json", contentLength: body.count)
let clock = ContinuousClock()
func measure(_ name: String, iterations: Int, _ body: () throws -> Void) rethrows {
    var samples: [Double] = []
    for _ in 0..<7 {
        let start = clock.now
        for _ in 0..<iterations { try body() }
        let elapsed = clock.now - start
        samples.append(
            Double(elapsed.components.attoseconds) / 1e9 / Double(iterations) + Double(
                elapsed.components.seconds) * 1e9 / Double(iterations))
    }
    samples.sort()
    print("\(name): median \(Int(samples[3])) ns")
}
measure("handle", iterations: 20000) { _ = service.handle(head) { _ in body } }
let document = try JSONParser.parse(body)
try measure("predict(instance:)", iterations: 20000) { _ = try bundle.predict(instance: document) }
try measure("parse", iterations: 20000) { _ = try JSONParser.parse(body) }
let model = try InferenceModel(
    onnx: [UInt8](try Data(contentsOf: URL(filePath: path + "/model.onnx"))))
let feeds: [Tensor] = model.inputs.map { info in
    info.elementType == .string
        ? Tensor(shape: [1, 1], storage: .string(["technician"]))
        : Tensor(shape: [1, 1], storage: .float([41]))
}
try measure("model.run", iterations: 20000) { _ = try model.run(feeds) }
