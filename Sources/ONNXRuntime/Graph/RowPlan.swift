/// One row of a tabular tree model evaluated without tensors: the graph's one-hot encoders
/// and concatenations folded at load into a map from each of the trees' feature columns to
/// the graph input (and, for a category, the position) it comes from.
///
/// This is the shape scikit-learn pipelines export to (skl2onnx's ColumnTransformer of
/// numbers and OneHotEncoders in front of a tree ensemble classifier). A request's values go
/// straight into one row of floats on the caller's stack and the trees read it; no array is
/// allocated and no tensor is reference counted. Graphs of any other shape have no row plan
/// and run through the `ExecutionPlan` alone; `RowPlanTests` holds the two to the same
/// answers bit for bit.
public struct RowPlan: Sendable {
    /// What the caller supplies for each graph input, in graph order.
    public enum Input: Sendable, Equatable {
        /// `width` numbers, each passed as the Double a JSON number parses to (NaN for
        /// null), at `offset` in `numbers`: the graph input is float, double or int64 of
        /// shape `[N, width]` (or `[N]`, width 1).
        case number(ElementType, offset: Int, width: Int)
        /// A string category of shape `[N, 1]` or `[N]` that only one-hot encoders read;
        /// the caller passes its position in `categories`, or -1 when it is not one.
        case category(CategoryIndex)
    }

    /// What a graph output holds: the classifier's label or its score columns.
    public enum Output: Sendable, Equatable {
        case label
        case scores
    }

    /// The label a row gets, as the classifier's label output holds it.
    public enum Label: Sendable, Equatable {
        case int64(Int64)
        /// A position in the classifier's string labels.
        case name(Int)
    }

    /// Where one of the trees' feature columns comes from.
    enum Column: Sendable, Equatable {
        /// The number at this position of `numbers`, as float.
        case number(Int)
        /// 1 when graph input `input` holds the category at `position`, else 0.
        case oneHot(input: Int, position: Int)
    }

    public let inputs: [Input]
    public let outputs: [Output]
    public let classLabels: ClassLabels
    let columns: [Column]
    let trees: TreeEnsembleEvaluator<Float>
    /// Per input, whether an unknown category fails the run (a OneHotEncoder with zeros = 0).
    let refusesUnknown: [Bool]

    /// How many feature columns a row has; the caller's row buffer must hold as many.
    public var columnCount: Int { columns.count }
    /// How many numbers a row has; the caller's `numbers` must hold as many.
    public let numberCount: Int
    /// How many scores a row has.
    public var classCount: Int { trees.classCount }

    /// Evaluates one row. Number inputs are read from `numbers` (see `Input.number`) and
    /// category input `i` from `categories[i]`; `row` (`columnCount` floats) and `scores` (`classCount` floats) are
    /// the caller's. Returns nil when the graph would refuse the row (an unknown category
    /// where an encoder has zeros = 0): the caller runs the graph to get its message.
    @inline(__always)
    public func evaluate(
        numbers: UnsafePointer<Double>, categories: UnsafePointer<Int>,
        row: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>
    ) -> Label? {
        columns.withUnsafeBufferPointer { columns in
            for index in columns.indices {
                switch columns[index] {
                case .number(let position):
                    row[index] = Float(numbers[position])
                case .oneHot(let input, let position):
                    row[index] = categories[input] == position ? 1 : 0
                }
            }
        }
        for (input, refuses) in refusesUnknown.enumerated() where refuses && categories[input] < 0 {
            return nil
        }
        let choice = withUnsafeTemporaryAllocation(of: Float.self, capacity: classCount) { sums in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: classCount) { hasScore in
                sums.initialize(repeating: 0)
                hasScore.initialize(repeating: false)
                return trees.evaluate(
                    row: row, sums: sums.baseAddress!, hasScore: hasScore.baseAddress!,
                    into: scores)
            }
        }
        switch (classLabels, choice) {
        case (.int64s(let ids), .position(let index)): return .int64(ids[index])
        case (.int64s, .literal(let value)): return .int64(Int64(value))
        case (.strings, .position(let index)), (.strings, .literal(let index)): return .name(index)
        }
    }
}
