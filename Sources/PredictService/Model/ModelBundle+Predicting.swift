extension ModelBundle {
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
