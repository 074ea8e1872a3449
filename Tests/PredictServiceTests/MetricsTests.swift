import Foundation
import Logging
import Testing

@testable import PredictService

@Suite("Request metrics")
struct MetricsTests {
    @Test("requests, latency, evaluation, batch sizes and labels are summed over workers")
    func countsAcrossWorkers() throws {
        let metrics = ServiceMetrics()
        let service = PredictionService(
            bundle: TestModels.bankMarketing, metrics: metrics, logger: Logger(label: "test"))
        let body = JSONValue.object([
            .init(
                "instances",
                .array([
                    .client(), .client(),
                    .client(["age": .number(95), "poutcome": .string("success")]),
                ]))
        ]).bytes
        let head = RequestHead(
            method: "POST", path: "/predict", contentType: "application/json",
            contentLength: body.count)
        let workers = [service.makeWorker(), service.makeWorker()]
        for worker in workers {
            #expect(worker.handle(head) { _ in body }.status == 200)
            #expect(
                worker.handle(RequestHead(method: "GET", path: "/nowhere")) { _ in [] }.status
                    == 404)
        }
        let text = String(decoding: metrics.render(), as: UTF8.self)
        let version = TestModels.bankMarketing.version
        #expect(
            text.contains(
                #"predict_requests_total{model="bank-marketing",version="\#(version)",route="/predict",status="200",client="anonymous"} 2"#
            ))
        #expect(
            text.contains(
                #"predict_requests_total{model="",version="",route="other",status="404",client="anonymous"} 2"#
            ))
        #expect(
            text.contains(
                #"predict_batch_size_bucket{model="bank-marketing",version="\#(version)",le="2"} 0"#
            ))
        #expect(
            text.contains(
                #"predict_batch_size_bucket{model="bank-marketing",version="\#(version)",le="5"} 2"#
            ))
        #expect(
            text.contains(
                #"predict_batch_size_sum{model="bank-marketing",version="\#(version)"} 6.0"#))
        #expect(
            text.contains(
                #"predict_model_evaluation_duration_seconds_count{model="bank-marketing",version="\#(version)"} 2"#
            ))
        let labels = text.split(separator: "\n").filter {
            $0.hasPrefix("predict_predictions_total{")
        }
        let total = labels.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(
            0, +)
        #expect(total == 6)
        #expect(text.contains("# TYPE predict_request_duration_seconds histogram"))
        // Every family once: a second TYPE line is an error for Prometheus' parser.
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(Set(types).count == types.count)
    }

    @Test("label values are escaped")
    func escaping() {
        var writer = ExpositionWriter()
        writer.sample("m", labels: [("a", "x\"y\\z\nw")], value: "1")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"m{a="x\"y\\z\nw"} 1"# + "\n")
    }

    @Test("GET /metrics is the Prometheus text format; without metrics it is a 404")
    func route() {
        let service = PredictionService(
            bundle: TestModels.bankMarketing, metrics: ServiceMetrics(),
            logger: Logger(label: "test"))
        let response = service.handle(RequestHead(method: "GET", path: "/metrics")) { _ in [] }
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let plain = PredictionService(
            bundle: TestModels.bankMarketing, logger: Logger(label: "test"))
        #expect(
            plain.handle(RequestHead(method: "GET", path: "/metrics")) { _ in [] }.status == 404)
    }
}
