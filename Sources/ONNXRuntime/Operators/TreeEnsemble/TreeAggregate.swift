/// How the leaf weights that reach one output column combine: TreeEnsemble's (opset 5)
/// `aggregate_function`, whose codes are the raw values; the classifier always sums.
/// Chosen once at load; a run then walks the trees under the matching LeafCombiner.
enum TreeAggregate: Int64, Sendable {
    /// The sum divided by the number of trees, once, at the end.
    case average = 0
    case sum = 1
    case minimum = 2
    case maximum = 3
}
