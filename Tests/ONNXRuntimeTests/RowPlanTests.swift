import Foundation
import Testing

@testable import ONNXRuntime

/// The row plan against the execution plan it was folded from: on every fixture row of
/// every family that has one, the same label and the same scores, bit for bit.
@Suite("Row plans")
struct RowPlanTests {
    /// Families whose graphs have the row plan's shape; a change that stops folding one of
    /// them (or folds a graph it should not) fails here rather than silently.
    static let folded: Set<String> = [
        "catboost_binary", "catboost_missing", "catboost_multiclass", "catboost_strings",
        "decision_tree", "decision_tree_binary", "extra_trees", "gradient_boosting_binary",
        "gradient_boosting_multiclass", "hist_gradient_boosting_binary",
        "hist_gradient_boosting_multiclass", "lgbm_binary", "lgbm_missing", "lgbm_multiclass",
        "random_forest", "random_forest_multiclass", "random_forest_zipmap", "xgb_binary",
        "xgb_missing", "xgb_multiclass",
    ]

    @Test("folds exactly the tabular tree families")
    func foldsTheTreeFamilies() throws {
        var folded: Set<String> = []
        for family in ParityFixture.families() {
            let fixture = try ParityFixture(family: family)
            let model = try InferenceModel(onnx: Array(try Data(contentsOf: fixture.modelPath)))
            if model.rowPlan != nil { folded.insert(family) }
        }
        #expect(folded == Self.folded)
    }

    @Test("answers as the graph does", arguments: Array(folded).sorted())
    func answersAsTheGraph(family: String) throws {
        let fixture = try ParityFixture(family: family)
        let model = try InferenceModel(onnx: Array(try Data(contentsOf: fixture.modelPath)))
        let plan = try #require(model.rowPlan)
        let labelOutput = try #require(plan.outputs.firstIndex(of: .label))
        let scoresOutput = try #require(plan.outputs.firstIndex(of: .scores))
        var rowsCompared = 0
        for item in fixture.cases {
            let feeds = model.inputs.map { item.feeds[$0.name]! }
            let graph = try model.run(feeds)
            let rows = graph[labelOutput].shape[0]
            for row in 0..<rows {
                let (label, scores) = try Self.evaluate(plan, feeds, row: row)
                let place = "\(family) case \(item.id) row \(row)"
                #expect(
                    Self.label(graph[labelOutput], row) == label.map { Self.text($0, plan) },
                    "\(place): label")
                guard case .float(let expected) = graph[scoresOutput].storage else {
                    Issue.record("\(place): scores are not float")
                    continue
                }
                let classes = plan.classCount
                let want = expected[row * classes..<(row + 1) * classes].map(\.bitPattern)
                #expect(scores.map(\.bitPattern) == want, "\(place): scores \(scores)")
                rowsCompared += 1
            }
        }
        #expect(rowsCompared > 0)
    }

    /// One row of `feeds` through the row plan.
    static func evaluate(
        _ plan: RowPlan, _ feeds: [Tensor], row: Int
    ) throws -> (RowPlan.Label?, [Float]) {
        var numbers = [Double](repeating: .nan, count: plan.numberCount)
        var categories = [Int](repeating: -1, count: plan.inputs.count)
        for (index, input) in plan.inputs.enumerated() {
            let storage = feeds[index].storage
            switch input {
            case .number(_, let offset, let width):
                for element in 0..<width {
                    let position = row * width + element
                    numbers[offset + element] =
                        switch storage {
                        case .float(let values): Double(values[position])
                        case .double(let values): values[position]
                        case .int64(let values): Double(values[position])
                        default: .nan
                        }
                }
            case .category(let known):
                guard case .string(let values) = storage else { throw FixtureError("not strings") }
                categories[index] = known.position(of: values[row]) ?? -1
            }
        }
        var rowBuffer = [Float](repeating: .nan, count: plan.columnCount)
        var scores = [Float](repeating: .nan, count: plan.classCount)
        let label = plan.evaluate(
            numbers: numbers, categories: categories, row: &rowBuffer, scores: &scores)
        return (label, scores)
    }

    static func label(_ tensor: Tensor, _ row: Int) -> String? {
        switch tensor.storage {
        case .int64(let values): "\(values[row])"
        case .string(let values): values[row]
        default: nil
        }
    }

    static func text(_ label: RowPlan.Label, _ plan: RowPlan) -> String {
        switch (label, plan.classLabels) {
        case (.int64(let value), _): "\(value)"
        case (.name(let index), .strings(let names)): names[index]
        case (.name(let index), .int64s): "name \(index) of integer labels"
        }
    }
}
