/// One worker thread's view of the service: the snapshot it answers from, refreshed when a
/// reload publishes a new one, and its own metrics shard. Made by `PredictionService.makeWorker`
/// on the thread that uses it, and used by that thread only.
public final class ServiceWorker {
    private let service: PredictionService
    private let shard: MetricsShard?
    private var snapshot: ServingSnapshot
    private var generation: Int
    private let clock = ContinuousClock()

    init(service: PredictionService, shard: MetricsShard?) {
        self.service = service
        self.shard = shard
        (snapshot, generation) = service.published()
    }

    /// Answers one request. `readBody` is called at most once, with the declared length,
    /// and only after the head has passed every check that does not need the body.
    public func handle(_ head: RequestHead, readBody: (Int) throws -> [UInt8]) -> Response {
        let start = clock.now
        // One atomic load per request; the lock only when a reload has published anew.
        if service.generation != generation { (snapshot, generation) = service.published() }
        let route = Route(path: head.path)
        var sample = RequestSample(route: route.label)
        var client = APIKeyring.anonymous
        var response: Response
        do {
            response = try answer(route, head, snapshot, &sample, &client, readBody: readBody)
        } catch {
            response = error.response(openInference: route.isOpenInference)
            service.log(error, head: head, client: client)
        }
        // The client's name for nginx's access log; nginx does not pass the header on.
        if client != APIKeyring.anonymous {
            response.headers.append(.init(name: "X-Predict-Client", value: client))
        }
        sample.status = response.status
        let elapsed = (clock.now - start).components
        sample.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        shard?.record(sample)
        if response.status < 400 {
            service.logger.debug(
                "request answered",
                metadata: [
                    "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                    "http.status": "\(response.status)", "client": "\(client)",
                ])
        }
        return response
    }

    private func answer(
        _ route: Route, _ head: RequestHead, _ current: ServingSnapshot,
        _ sample: inout RequestSample, _ client: inout String,
        readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> Response {
        if route == .unknown { throw .notFound(head.path) }
        guard route.methods.contains(head.method) else {
            throw .methodNotAllowed(head.method, path: head.path, allowed: route.methods)
        }
        if route.needsKey, let keyring = current.keyring {
            client = try Self.authorize(head, keyring)
            sample.client = current.clients[client] ?? 0
        }
        switch route {
        case .health:
            return .json(.ok, current.health)
        case .live:
            return .json(.ok, InferenceEncoder.flag("live", true))
        case .ready:
            return .json(.ok, InferenceEncoder.flag("ready", !current.models.isEmpty))
        case .metrics:
            guard let metrics = service.metrics else { throw .notFound(head.path) }
            return Response(
                status: .ok,
                headers: [
                    .init(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
                ],
                body: metrics.render())
        case .ui(let asset):
            return asset.response
        case .list:
            return .json(.ok, current.list)
        case .serverMetadata:
            return .json(.ok, service.serverDocument)
        case .document(let name):
            let model = try current.model(name)
            sample.series = model.series?.id ?? 0
            return .json(.ok, model.document)
        case .modelMetadata(let name, let version):
            let model = try current.model(name, version: version)
            sample.series = model.series?.id ?? 0
            return .json(.ok, model.metadata)
        case .modelReady(let name, let version):
            let model = try current.model(name, version: version)
            sample.series = model.series?.id ?? 0
            return .json(.ok, model.ready)
        case .predict(let name):
            let model = try current.model(name)
            sample.series = model.series?.id ?? 0
            return try predict(head, model.bundle, &sample, readBody: readBody)
        case .infer(let name, let version):
            let model = try current.model(name, version: version)
            sample.series = model.series?.id ?? 0
            return try infer(head, model.bundle, &sample, readBody: readBody)
        case .unknown:
            throw .notFound(head.path)
        }
    }

    private static func authorize(
        _ head: RequestHead, _ keyring: APIKeyring
    ) throws(ServiceError)
        -> String
    {
        switch keyring.verify(authorization: head.authorization) {
        case .client(let name):
            return name
        case .missing:
            throw .unauthorized(
                "this route needs an API key: send it as 'Authorization: Bearer KEY'",
                invalidToken: false)
        case .malformed:
            throw .unauthorized(
                "the Authorization header must be 'Bearer KEY'", invalidToken: true)
        case .unknown:
            throw .unauthorized("the API key is not valid: unknown or revoked", invalidToken: true)
        }
    }

    private func predict(
        _ head: RequestHead, _ bundle: ModelBundle, _ sample: inout RequestSample,
        readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> Response {
        let body = try service.readBody(head, readBody: readBody)
        if let rowPath = bundle.rowPath {
            let start = clock.now
            let answer = rowPath.evaluate(body) { label, scores in
                (
                    label,
                    ResponseEncoder.prediction(labelIndex: label, scores: scores, bundle: bundle)
                )
            }
            if let (label, encoded) = answer {
                record(bundle, &sample, since: start, rows: 1) { _ in label }
                return .json(.ok, encoded)
            }
        }
        let document = try JSONParser.parse(body)
        if case .object(let members) = document, members.count == 1, members[0].key == "instances" {
            guard case .array(let instances) = members[0].value else {
                throw .invalidBody(
                    "'instances' must be an array of objects, found "
                        + members[0].value.kindDescription, field: "instances")
            }
            guard !instances.isEmpty else {
                throw .invalidBody("'instances' is empty; send at least one", field: "instances")
            }
            let limit = service.limits.maximumBatchSize
            guard instances.count <= limit else {
                throw .batchTooLarge(instances.count, limit: limit)
            }
            let predictions = try evaluate(bundle, &sample) { () throws(ServiceError) in
                try bundle.predict(instances: instances)
            }
            return .json(.ok, ResponseEncoder.predictions(predictions, bundle: bundle))
        }
        let predictions = try evaluate(bundle, &sample) { () throws(ServiceError) in
            [try bundle.predict(instance: document)]
        }
        return .json(.ok, ResponseEncoder.prediction(predictions[0], bundle: bundle))
    }

    private func infer(
        _ head: RequestHead, _ bundle: ModelBundle, _ sample: inout RequestSample,
        readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> Response {
        let document = try service.readJSON(head, typeOptional: true, readBody: readBody)
        let request = try InferenceRequest(
            document, bundle: bundle, maximumRows: service.limits.maximumBatchSize)
        let predictions = try evaluate(bundle, &sample) { () throws(ServiceError) in
            try bundle.predict(instances: request.rows, fieldName: "rows")
        }
        return .json(
            .ok,
            InferenceEncoder.inference(
                predictions, bundle: bundle, id: request.id, outputs: request.outputs))
    }

    /// Runs the model, timing it and counting its rows and labels for the metrics.
    private func evaluate(
        _ bundle: ModelBundle, _ sample: inout RequestSample,
        _ body: () throws(ServiceError) -> [Prediction]
    ) throws(ServiceError) -> [Prediction] {
        let start = clock.now
        let predictions = try body()
        record(bundle, &sample, since: start, rows: predictions.count) {
            predictions[$0].labelIndex
        }
        return predictions
    }

    /// Counts an evaluation of `rows` rows that started at `start` in the request's sample:
    /// its time, its rows and the label of each.
    private func record(
        _ bundle: ModelBundle, _ sample: inout RequestSample, since start: ContinuousClock.Instant,
        rows: Int, label: (Int) -> Int
    ) {
        guard shard != nil else { return }
        let elapsed = (clock.now - start).components
        sample.evaluationSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        sample.rows = rows
        sample.classes = bundle.labels.count
        if rows == 1 {
            sample.singleLabel = label(0)
        } else {
            var counts = [UInt64](repeating: 0, count: bundle.labels.count)
            for row in 0..<rows { counts[label(row)] &+= 1 }
            sample.labelCounts = counts
        }
    }
}
