extension ModelBundle {
    /// One instance as `POST /predict` answers it: through the row path when the model has
    /// one and it takes the instance, otherwise the general path. The golden replay comes
    /// through here, so the gate checks the path clients get.
    func predictAsServed(_ instance: JSONValue) throws(ServiceError) -> Prediction {
        if let rowPath {
            var writer = JSONWriter()
            writer.value(instance)
            let answer = rowPath.evaluate(writer.bytes) { label, scores in
                Prediction(labelIndex: label, scores: .init(Array(scores), as: output))
            }
            if let answer { return answer }
        }
        return try predict(instance: instance)
    }

    /// Validates and scores one instance.
    public func predict(instance: JSONValue) throws(ServiceError) -> Prediction {
        var columns = FeatureColumns(features: features, rowCapacity: 1)
        let warnings = try decode(instance, prefix: "", into: &columns)
        var prediction = try predict(columns)[0]
        prediction.warnings = warnings
        return prediction
    }

    /// Validates every instance first, then scores them as one batch, in order. Errors and
    /// warnings name the instance: `instances[3].age`.
    public func predict(
        instances: [JSONValue], fieldName: String = "instances"
    )
        throws(ServiceError) -> [Prediction]
    {
        var columns = FeatureColumns(features: features, rowCapacity: instances.count)
        var warnings: [[PredictionWarning]] = []
        warnings.reserveCapacity(instances.count)
        for (position, instance) in instances.enumerated() {
            warnings.append(
                try decode(instance, prefix: "\(fieldName)[\(position)].", into: &columns))
        }
        guard !instances.isEmpty else { return [] }
        var predictions = try predict(columns)
        for position in predictions.indices { predictions[position].warnings = warnings[position] }
        return predictions
    }
}
