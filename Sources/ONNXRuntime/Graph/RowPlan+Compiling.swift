extension RowPlan {
    /// What one slot of the plan holds for one row, followed symbolically through the graph.
    private enum Symbol {
        /// Numbers: the dimensions after the batch, and where each element comes from.
        case row(dims: [Int], columns: [Column], type: ElementType)
        /// A string graph input, not yet encoded.
        case category(input: Int)
        case label
        case scores
    }

    /// The row plan of `plan`, or nil when the graph is not numbers and one-hot encoded
    /// categories, concatenated (and reshaped, cast to float or passed through Identity)
    /// into one float32 TreeEnsembleClassifier whose label and scores are the graph outputs
    /// (directly, through Identity, or ZipMap for the scores).
    static func compile(_ plan: ExecutionPlan, outputCount: Int) -> RowPlan? {
        var symbols = [Symbol?](repeating: nil, count: plan.slotCount)
        var inputs: [Input] = []
        var numberCount = 0
        for check in plan.inputChecks {
            guard let dims = check.dims, dims.first == -1, dims.count <= 2 else { return nil }
            let width = dims.count == 2 ? dims[1] : 1
            guard width > 0 else { return nil }
            switch check.elementType {
            case .float, .double, .int64:
                symbols[check.slot] = .row(
                    dims: Array(dims.dropFirst()),
                    columns: (0..<width).map { .number(numberCount + $0) },
                    type: check.elementType)
                inputs.append(.number(check.elementType, offset: numberCount, width: width))
                numberCount += width
            case .string where width == 1:
                symbols[check.slot] = .category(input: inputs.count)
                inputs.append(.category(CategoryIndex([])))
            default:
                return nil
            }
        }
        var encoded = Set<Int>()
        var refusesUnknown = [Bool](repeating: false, count: inputs.count)
        var classifier:
            (trees: TreeEnsembleEvaluator<Float>, labels: ClassLabels, columns: [Column])?
        for step in plan.steps {
            let slots = (0..<step.inputCount + step.outputCount).map {
                Int(plan.slotIndices[step.inputStart + $0])
            }
            let ins = slots[..<step.inputCount].map { symbols[$0] }
            let outs = Array(slots[step.inputCount...])
            let results: [Symbol]
            switch step.kernel {
            case let encoder as OneHotEncoderOperator.OneHotEncoderKernel:
                guard case .category(let input)?? = ins.first, encoded.insert(input).inserted
                else { return nil }
                inputs[input] = .category(encoder.stringIndex)
                refusesUnknown[input] = !encoder.zeros
                let dims = plan.inputChecks[input].dims!.dropFirst() + [encoder.width]
                results = [
                    .row(
                        dims: Array(dims),
                        columns: (0..<encoder.width).map { .oneHot(input: input, position: $0) },
                        type: .float)
                ]
            case let concat as ConcatOperator.ConcatKernel:
                guard let joined = Self.concatenate(ins, axis: concat.axis) else { return nil }
                results = [joined]
            case let reshape as ReshapeOperator.ReshapeKernel:
                guard case .row(let dims, let columns, let type)?? = ins.first,
                    let reshaped = Self.reshape(dims, to: reshape.target, reshape.allowZero)
                else { return nil }
                results = [.row(dims: reshaped, columns: columns, type: type)]
            case let cast as CastOperator.CastKernel:
                switch ins.first {
                // A number reaches the trees as Float(value) whether its input is float,
                // double or int64 (an integral value converts to the same float either way).
                case .row(let dims, let columns, _)?? where cast.target == .float:
                    results = [.row(dims: dims, columns: columns, type: .float)]
                // LightGBM's converter casts the integer label to int64, which it already is.
                case .label?? where cast.target == .int64:
                    guard case .int64s = classifier?.labels else { return nil }
                    results = [.label]
                default:
                    return nil
                }
            case is IdentityOperator.IdentityKernel:
                guard let symbol = ins.first ?? nil else { return nil }
                results = [symbol]
            case let trees as TreeEnsembleClassifierKernel:
                guard classifier == nil, case .float32(let evaluator) = trees.evaluator,
                    case .row(let dims, let columns, .float)?? = ins.first, dims.count == 1,
                    evaluator.forest.maximumFeature < columns.count
                else { return nil }
                classifier = (evaluator, trees.classLabels, columns)
                results = [.label, .scores]
            case is ZipMapOperator.ZipMapKernel:
                guard case .scores?? = ins.first else { return nil }
                results = [.scores]
            default:
                return nil
            }
            for (slot, symbol) in zip(outs, results) where slot >= 0 { symbols[slot] = symbol }
        }
        guard let classifier else { return nil }
        var outputs: [Output] = []
        for slot in plan.outputSlots.prefix(outputCount) {
            switch symbols[slot] {
            case .label?: outputs.append(.label)
            case .scores?: outputs.append(.scores)
            default: return nil
            }
        }
        return RowPlan(
            inputs: inputs, outputs: outputs, classLabels: classifier.labels,
            columns: classifier.columns,
            trees: classifier.trees, refusesUnknown: refusesUnknown, numberCount: numberCount)
    }

    /// Concat along `axis` of rows: the same dimensions but along the axis, which may not
    /// be the batch's.
    private static func concatenate(_ symbols: [Symbol?], axis: Int) -> Symbol? {
        var parts: [(dims: [Int], columns: [Column])] = []
        var type: ElementType?
        for symbol in symbols {
            guard case .row(let dims, let columns, let elementType)? = symbol,
                type == nil || type == elementType
            else { return nil }
            type = elementType
            parts.append((dims, columns))
        }
        guard let first = parts.first, let type else { return nil }
        // The row's dimensions follow the batch's, which Concat may not join along.
        guard let position = Axis.normalized(axis, rank: first.dims.count + 1), position > 0
        else { return nil }
        let along = position - 1
        guard
            parts.allSatisfy({ part in
                part.dims.count == first.dims.count
                    && part.dims.indices.allSatisfy {
                        $0 == along || part.dims[$0] == first.dims[$0]
                    }
            })
        else { return nil }
        // Row-major: before the axis, each part contributes a block of its trailing elements.
        let outer = first.dims[..<along].reduce(1, *)
        var dims = first.dims
        dims[along] = parts.reduce(0) { $0 + $1.dims[along] }
        var columns: [Column] = []
        for block in 0..<outer {
            for part in parts {
                let size = part.columns.count / max(outer, 1)
                columns += part.columns[block * size..<(block + 1) * size]
            }
        }
        return .row(dims: dims, columns: columns, type: type)
    }

    /// The dimensions after the batch once reshaped to `target`, when the target keeps the
    /// batch first (-1, or 0 copying it) and fixes the rest to as many elements.
    private static func reshape(_ dims: [Int], to target: [Int], _ allowZero: Bool) -> [Int]? {
        guard let first = target.first, first == -1 || (first == 0 && !allowZero) else {
            return nil
        }
        let rest = Array(target.dropFirst())
        guard rest.allSatisfy({ $0 > 0 }), rest.reduce(1, *) == dims.reduce(1, *) else {
            return nil
        }
        return rest
    }
}
