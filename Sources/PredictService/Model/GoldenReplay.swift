#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The outcome of replaying a model's golden cases: the gate a model passes before it ships.
public struct GoldenReport: Sendable {
    public struct Mismatch: Sendable {
        public let caseID: String
        public let message: String
    }

    public var total = 0
    public var mismatches: [Mismatch] = []
    /// The largest absolute probability difference seen over all cases.
    public var maximumError: Double = 0

    public var passed: Bool { total > 0 && mismatches.isEmpty }
}

extension ModelBundle {
    /// Replays `golden.jsonl` (or the cases at `path`): every case's label must match exactly
    /// and every probability (`expected.probabilities`) or decision score (`expected.scores`)
    /// within `tolerance`.
    public func replayGolden(
        tolerance: Double = 1e-5, from path: String? = nil
    ) throws(LoadError) -> GoldenReport {
        guard let goldenPath = path ?? goldenPath else {
            throw .invalidGolden(
                "the model has no golden.jsonl to replay; a bare .onnx file needs its golden "
                    + "cases named explicitly")
        }
        let bytes = try Self.read(URL(filePath: goldenPath))
        var report = GoldenReport()
        let scoresKey = output == .decisionScore ? "scores" : "probabilities"
        // Lines split on the byte: a Character split would walk grapheme clusters (and take
        // "\r\n" for one), and cost more than the replay itself.
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            report.total += 1
            let location = "golden.jsonl line \(number + 1)"
            let document: JSONValue
            do {
                document = try JSONParser.parse(Array(line))
            } catch {
                throw .invalidGolden("\(location): \(error.message)")
            }
            guard let input = document["input"],
                case .string(let label)? = document["expected"]?["label"],
                case .object(let expected)? = document["expected"]?[scoresKey]
            else {
                throw .invalidGolden(
                    "\(location): needs input, expected.label, expected.\(scoresKey)")
            }
            var caseID = location
            if case .string(let id)? = document["id"] { caseID = id }
            let prediction: Prediction
            do {
                prediction = try predictAsServed(input)
            } catch {
                report.mismatches.append(.init(caseID: caseID, message: "refused: \(error)"))
                continue
            }
            if labels[prediction.labelIndex] != label {
                report.mismatches.append(
                    .init(
                        caseID: caseID,
                        message: "label '\(labels[prediction.labelIndex])', expected '\(label)'"))
            }
            let (scores, symbol) =
                switch prediction.scores {
                case .probabilities(let values): (values, "p")
                case .decisionScores(let values): (values, "score")
                }
            for member in expected {
                guard case .number(let want) = member.value,
                    let position = scoredLabels.firstIndex(of: member.key)
                else {
                    report.mismatches.append(
                        .init(caseID: caseID, message: "unknown class '\(member.key)'"))
                    continue
                }
                let error = abs(Double(scores[position]) - want)
                report.maximumError = max(report.maximumError, error)
                if !(error <= tolerance) {
                    report.mismatches.append(
                        .init(
                            caseID: caseID,
                            message: "\(symbol)(\(member.key)) = \(scores[position]), "
                                + "expected \(want)"))
                }
            }
        }
        return report
    }
}
