import Foundation
import Logging
import PredictService

/// libFuzzer entry point for the request path: `PredictionService.handle` serving the default
/// model (models/bank-marketing) a POST whose route, content type and body come from the input.
///
/// Input layout: the first byte picks the route (`/predict`, `/models/bank-marketing/predict`
/// or the Open Inference Protocol's `infer`), the bytes up to the first newline are the content
/// type (none when empty), the rest is the body. Every answer must be a client error or a
/// success with a JSON body; a 5xx or a body that is not JSON is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let selector = bytes.first else { return 0 }
    let rest = bytes.dropFirst()
    let newline = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
    let contentType = String(decoding: rest[rest.startIndex..<newline], as: UTF8.self)
    let body = Array(rest[newline...].dropFirst())
    let head = RequestHead(
        method: "POST", path: routes[Int(selector) % routes.count],
        contentType: contentType.isEmpty ? nil : contentType, contentLength: body.count)
    let response = service.handle(head) { _ in body }
    precondition(
        (200..<500).contains(response.status),
        "status \(response.status): \(String(decoding: response.body, as: UTF8.self))")
    precondition(
        (try? JSONParser.parse(response.body)) != nil,
        "the \(response.status) answer is not JSON")
    return 0
}

private let routes = [
    "/predict", "/models/bank-marketing/predict", "/v2/models/bank-marketing/infer",
]

/// The default model, found from this file's place in the repository (or FUZZ_MODEL).
private let service: PredictionService = {
    let model =
        ProcessInfo.processInfo.environment["FUZZ_MODEL"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../models/bank-marketing").standardized.path
    let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
    do {
        return try PredictionService(source: .model(path: model), logger: logger)
    } catch {
        fatalError("cannot load \(model): \(error)")
    }
}()
