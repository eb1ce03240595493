import Foundation

/// Per-variant counts from the ledger: test recipients whose message was stored, delivered, opened by a
/// human (unique), clicked by a human (unique).
public struct ABCounts: Sendable, Hashable {
    public var sent = 0
    public var delivered = 0
    public var opened = 0
    public var clicked = 0

    public init(sent: Int = 0, delivered: Int = 0, opened: Int = 0, clicked: Int = 0) {
        self.sent = sent
        self.delivered = delivered
        self.opened = opened
        self.clicked = clicked
    }
}

/// One variant's result: the metric as successes over trials, with its Wilson score interval.
public struct ABVariantResult: Sendable, Hashable, Codable {
    public var name: String
    public var sent: Int
    public var delivered: Int
    public var opened: Int
    public var clicked: Int
    /// The metric's numerator and denominator (e.g. opened and delivered for the open rate).
    public var successes: Int
    public var trials: Int
    public var rate: Double
    public var low: Double
    public var high: Double
    /// Two-sided p-value of this variant against the leader (unadjusted); nil for the leader.
    public var pValue: Double?

    enum CodingKeys: String, CodingKey {
        case name, sent, delivered, opened, clicked, successes, trials, rate
        case low = "ci_low"
        case high = "ci_high"
        case pValue = "p_value"
    }
}

/// The test's standing: the variants' results, the leader, and whether its lead is significant.
public struct ABEvaluation: Sendable, Hashable, Codable {
    public var metric: ABMetric
    public var confidence: Double
    public var variants: [ABVariantResult]
    public var leader: String?
    /// The leader against each other variant, Bonferroni-adjusted for the k−1 comparisons, largest taken.
    public var pValue: Double?
    /// Every variant has at least `min_sample` trials.
    public var enoughSample: Bool
    public var significant: Bool

    enum CodingKeys: String, CodingKey {
        case metric, confidence, variants, leader
        case pValue = "p_value"
        case enoughSample = "enough_sample"
        case significant
    }
}

/// The statistics behind A/B decisions.
///
/// Each variant's metric is a proportion x/n. The leader (highest rate) is compared with every other
/// variant by the pooled two-proportion z-test, two-sided: z = (p₁ − p₂) / √(p̂(1−p̂)(1/n₁ + 1/n₂)), p̂ the
/// pooled proportion, p = erfc(|z|/√2). With k variants there are k−1 comparisons, so each p-value is
/// multiplied by k−1 (Bonferroni) and the largest is the test's: the leader wins only when it beats every
/// other variant at the configured confidence, and every variant has at least `min_sample` trials.
/// Intervals are Wilson score intervals (Wilson 1927), which stay inside [0, 1] and behave at small n.
public enum ABStatistics {
    /// Standard normal cumulative distribution.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The standard normal quantile (the z with `normalCDF(z) == p`), by bisection: exact to 1e-12.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        var low = -40.0
        var high = 40.0
        for _ in 0..<200 where high - low > 1e-12 {
            let middle = (low + high) / 2
            if normalCDF(middle) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// Pooled two-proportion z-test, two-sided. p = 1 when there is no variance to test (no trials, or both
    /// all or none).
    public static func twoProportionZTest(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) -> (z: Double, p: Double) {
        guard n1 > 0, n2 > 0 else { return (0, 1) }
        let p1 = Double(x1) / Double(n1)
        let p2 = Double(x2) / Double(n2)
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))
        guard variance > 0 else { return (0, 1) }
        let z = (p1 - p2) / variance.squareRoot()
        return (z, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// Wilson score interval for x successes in n trials at `confidence`; (0, 1) without trials.
    public static func wilson(_ x: Int, _ n: Int, confidence: Double) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let z = normalQuantile(1 - (1 - confidence) / 2)
        let nn = Double(n)
        let p = Double(x) / nn
        let denominator = 1 + z * z / nn
        let centre = (p + z * z / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The metric's (successes, trials) for one variant.
    static func proportion(_ counts: ABCounts, _ metric: ABMetric) -> (Int, Int) {
        switch metric {
        case .openRate: (counts.opened, counts.delivered)
        case .clickRate: (counts.clicked, counts.delivered)
        case .clickToOpenRate: (counts.clicked, counts.opened)
        }
    }

    /// The standing of `test` given each variant's counts (missing variants count zero).
    public static func evaluate(_ test: ABTest, counts: [String: ABCounts]) -> ABEvaluation {
        var results = test.variants.map { variant -> ABVariantResult in
            let counts = counts[variant.name] ?? ABCounts()
            let (x, n) = proportion(counts, test.metric)
            let interval = wilson(x, n, confidence: test.confidence)
            return ABVariantResult(
                name: variant.name, sent: counts.sent, delivered: counts.delivered, opened: counts.opened,
                clicked: counts.clicked, successes: x, trials: n, rate: n > 0 ? Double(x) / Double(n) : 0,
                low: interval.low, high: interval.high, pValue: nil)
        }
        let enough = results.allSatisfy { $0.trials >= test.minSample }
        let anyTrials = results.contains { $0.trials > 0 }
        // The first of equal rates leads: ties favour the earlier variant (usually the control).
        guard anyTrials,
            let leader = results.indices.max(by: {
                results[$0].rate < results[$1].rate || (results[$0].rate == results[$1].rate && $0 > $1)
            })
        else {
            return ABEvaluation(
                metric: test.metric, confidence: test.confidence, variants: results, leader: nil, pValue: nil,
                enoughSample: enough, significant: false)
        }
        var worst = 0.0
        var strictlyAhead = true
        for index in results.indices where index != leader {
            let test = twoProportionZTest(
                results[leader].successes, results[leader].trials, results[index].successes, results[index].trials)
            results[index].pValue = test.p
            worst = max(worst, test.p)
            if results[index].rate >= results[leader].rate { strictlyAhead = false }
        }
        let adjusted = min(1, worst * Double(results.count - 1))
        return ABEvaluation(
            metric: test.metric, confidence: test.confidence, variants: results, leader: results[leader].name,
            pValue: adjusted, enoughSample: enough,
            significant: enough && strictlyAhead && adjusted < 1 - test.confidence)
    }

    /// The decision when the wait is over: the leader when significant, else per the fallback (nil: a manual
    /// choice is awaited, or nothing was measured and the fallback is the leader).
    public static func decide(_ test: ABTest, _ evaluation: ABEvaluation, now: Date) -> ABDecision? {
        if evaluation.significant, let leader = evaluation.leader {
            return ABDecision(
                winner: leader, basis: .significance, pValue: evaluation.pValue, significant: true, decided: now)
        }
        guard test.fallback == .leader else { return nil }
        // Without any measurement the first variant (the control) stands.
        let winner = evaluation.leader ?? test.variants[0].name
        return ABDecision(winner: winner, basis: .leader, pValue: evaluation.pValue, significant: false, decided: now)
    }
}
