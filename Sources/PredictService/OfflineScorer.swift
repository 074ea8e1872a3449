/// Scores JSON Lines for `predict-fcgi score`: each line is validated and answered exactly
/// as `POST /predict` would answer its body.
public enum OfflineScorer {
    public struct Answer: Sendable {
        /// One line of JSON: the prediction, or `{"error": …}`.
        public let text: String
        public let failed: Bool
    }

    public static func score(line: [UInt8], with bundle: ModelBundle) -> Answer {
        do {
            let prediction = try bundle.predict(instance: try JSONParser.parse(line))
            let bytes = ResponseEncoder.prediction(prediction, bundle: bundle)
            return Answer(text: String(decoding: bytes, as: UTF8.self), failed: false)
        } catch {
            return Answer(
                text: String(decoding: ResponseEncoder.error(error), as: UTF8.self), failed: true)
        }
    }
}
