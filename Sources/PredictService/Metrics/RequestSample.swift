/// What one request leaves in the metrics: filled in while it is answered, recorded once
/// at its end.
package struct RequestSample {
    package var series = 0
    package var route = RouteLabel.other
    package var status = 0
    package var client = 0
    package var seconds: Double = 0
    /// Time spent in the model (decoding the rows and running the graph), for predictions.
    package var evaluationSeconds: Double?
    package var rows = 0
    /// The model's class count, and the label index of a one-row prediction or how many rows
    /// got each label index (a batch): a one-row request allocates nothing here.
    package var classes = 0
    package var singleLabel: Int?
    package var labelCounts: [UInt64] = []

    package init(route: RouteLabel = .other) {
        self.route = route
    }
}
