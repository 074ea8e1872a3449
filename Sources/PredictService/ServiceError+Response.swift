extension ServiceError {
    /// The answer to the refused request: the error's status and headers, and its body in the
    /// API's shape (`{"error": {"code", "message", "field"}}`) or, on the Open Inference
    /// Protocol's routes, in that protocol's (`{"error": "message"}`).
    func response(openInference: Bool = false) -> Response {
        let body = openInference ? InferenceEncoder.error(self) : ResponseEncoder.error(self)
        return .json(status, body, extraHeaders: headers)
    }
}
