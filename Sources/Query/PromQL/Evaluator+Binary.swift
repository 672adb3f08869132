import Foundation
import TSDB

/// Binary operators: scalar/scalar, vector/scalar, one-to-one vector/vector matching on all
/// labels but `__name__`, and the set operators `and`, `or`, `unless` on the same signatures.
extension Evaluator {
    mutating func binary(_ op: BinaryOp, _ lhs: StepValue, _ rhs: StepValue, returnBool: Bool) throws(PromQLError) -> StepValue {
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            return .scalar(
                (0..<steps).map { i in
                    let v = Self.apply(op, l[i], r[i])
                    return op.isComparison ? (v == nil ? 0 : 1) : v ?? .nan
                })
        case (.vector(let l), .scalar(let r)):
            return .vector(try vectorScalar(op, l, r, swapped: false, returnBool: returnBool))
        case (.scalar(let l), .vector(let r)):
            return .vector(try vectorScalar(op, r, l, swapped: true, returnBool: returnBool))
        case (.vector(let l), .vector(let r)):
            if op.isSetOperator { return .vector(try setOperation(op, l, r)) }
            return .vector(try vectorVector(op, l, r, returnBool: returnBool))
        default:
            throw .execution("binary expression must contain only scalar and instant vector types")
        }
    }

    /// `lhs op rhs`; nil for a comparison that is false.
    static func apply(_ op: BinaryOp, _ l: Double, _ r: Double) -> Double? {
        switch op {
        case .add: return l + r
        case .sub: return l - r
        case .mul: return l * r
        case .div: return l / r
        case .mod: return l.truncatingRemainder(dividingBy: r)
        case .pow: return pow(l, r)
        case .eq: return l == r ? l : nil
        case .ne: return l != r ? l : nil
        case .gt: return l > r ? l : nil
        case .lt: return l < r ? l : nil
        case .ge: return l >= r ? l : nil
        case .le: return l <= r ? l : nil
        case .and, .or, .unless: return nil
        }
    }

    /// The result of one element pair: the value to keep (nil filters it out). A filtering
    /// comparison keeps the vector side's value; `bool` turns the outcome into 0 or 1.
    private static func element(_ op: BinaryOp, _ l: Double, _ r: Double, keep: Double, returnBool: Bool) -> Double? {
        let v = apply(op, l, r)
        guard op.isComparison else { return v }
        if returnBool { return v == nil ? 0 : 1 }
        return v == nil ? nil : keep
    }

    /// Filtering comparisons keep `__name__`; arithmetic and `bool` drop it.
    private static func resultLabels(_ op: BinaryOp, _ labels: Labels, returnBool: Bool) -> Labels {
        op.isComparison && !returnBool ? labels : labels.droppingName
    }

    private func vectorScalar(_ op: BinaryOp, _ vector: [StepSeries], _ scalar: [Double], swapped: Bool, returnBool: Bool)
        throws(PromQLError) -> [StepSeries]
    {
        var builder = VectorBuilder(steps: steps)
        for s in vector {
            let labels = Self.resultLabels(op, s.labels, returnBool: returnBool)
            for i in 0..<steps {
                guard let v = s.values[i] else { continue }
                let (l, r) = swapped ? (scalar[i], v) : (v, scalar[i])
                if let out = Self.element(op, l, r, keep: v, returnBool: returnBool) {
                    try builder.add(labels, step: i, value: out)
                }
            }
        }
        return builder.series
    }

    private func vectorVector(_ op: BinaryOp, _ lhs: [StepSeries], _ rhs: [StepSeries], returnBool: Bool) throws(PromQLError)
        -> [StepSeries]
    {
        var rhsBySignature: [Labels: [Int]] = [:]
        for (j, s) in rhs.enumerated() { rhsBySignature[s.labels.droppingName, default: []].append(j) }
        var lhsBySignature: [Labels: [Int]] = [:]
        for (j, s) in lhs.enumerated() { lhsBySignature[s.labels.droppingName, default: []].append(j) }
        var builder = VectorBuilder(steps: steps)
        for (signature, lefts) in lhsBySignature.sorted(by: { $0.key < $1.key }) {
            guard let rights = rhsBySignature[signature] else { continue }
            for i in 0..<steps {
                guard let r = try unique(rights, in: rhs, step: i, signature: signature, side: "right"),
                    let l = try unique(lefts, in: lhs, step: i, signature: signature, side: "left")
                else { continue }
                let lv = lhs[l].values[i] ?? .nan
                let rv = rhs[r].values[i] ?? .nan
                if let out = Self.element(op, lv, rv, keep: lv, returnBool: returnBool) {
                    try builder.add(Self.resultLabels(op, lhs[l].labels, returnBool: returnBool), step: i, value: out)
                }
            }
        }
        return builder.series
    }

    /// The one series of a match group with a sample at step `i`; two of them are an error.
    private func unique(_ members: [Int], in series: [StepSeries], step i: Int, signature: Labels, side: String) throws(PromQLError) -> Int?
    {
        var found: Int?
        for m in members where series[m].values[i] != nil {
            if found != nil {
                throw .execution(
                    "found duplicate series for the match group \(signature) on the \(side) hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side"
                )
            }
            found = m
        }
        return found
    }

    /// `and` keeps left samples with a right match at the step, `unless` those without one;
    /// `or` adds right samples whose signature the left side lacks at the step. Labels are kept.
    private func setOperation(_ op: BinaryOp, _ lhs: [StepSeries], _ rhs: [StepSeries]) throws(PromQLError) -> [StepSeries] {
        let lhsSignatures = lhs.map(\.labels.droppingName)
        let rhsSignatures = rhs.map(\.labels.droppingName)
        var builder = VectorBuilder(steps: steps)
        var present = Set<Labels>()
        for i in 0..<steps {
            present.removeAll(keepingCapacity: true)
            let (probe, probeSignatures) = op == .or ? (lhs, lhsSignatures) : (rhs, rhsSignatures)
            for (j, s) in probe.enumerated() where s.values[i] != nil { present.insert(probeSignatures[j]) }
            for (j, s) in lhs.enumerated() {
                guard let v = s.values[i] else { continue }
                if op == .or || present.contains(lhsSignatures[j]) == (op == .and) {
                    try builder.add(s.labels, step: i, value: v)
                }
            }
            if op == .or {
                for (j, s) in rhs.enumerated() {
                    guard let v = s.values[i], !present.contains(rhsSignatures[j]) else { continue }
                    try builder.add(s.labels, step: i, value: v)
                }
            }
        }
        return builder.series
    }
}
