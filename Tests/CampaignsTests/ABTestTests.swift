import Foundation
import Testing

@testable import Campaigns

@Suite struct ABStatisticsTests {
    // Reference values: the pooled two-proportion z-test and the Wilson interval computed independently
    // (Python's statistics.NormalDist and math.erfc).
    @Test func twoProportionZTestMatchesReference() {
        let result = ABStatistics.twoProportionZTest(60, 200, 40, 200)
        #expect(abs(result.z - 2.309_401_076_758_502_5) < 1e-9)
        #expect(abs(result.p - 0.020_921_335_337_794_066) < 1e-9)
        #expect(ABStatistics.twoProportionZTest(0, 50, 0, 50).p == 1)
        #expect(ABStatistics.twoProportionZTest(5, 0, 1, 10).p == 1)
    }

    @Test func quantileAndWilsonIntervalMatchReference() {
        #expect(abs(ABStatistics.normalQuantile(0.975) - 1.959_963_984_540_053_6) < 1e-9)
        let interval = ABStatistics.wilson(60, 200, confidence: 0.95)
        #expect(abs(interval.low - 0.240_747_446_823_714_02) < 1e-9)
        #expect(abs(interval.high - 0.366_790_683_727_192_65) < 1e-9)
        let none = ABStatistics.wilson(0, 10, confidence: 0.95)
        #expect(none.low == 0 && abs(none.high - 0.277_532_799_862_889_15) < 1e-9)
    }

    func test(_ names: [String], metric: ABMetric = .openRate, minSample: Int = 100, fallback: ABFallback = .leader)
        -> ABTest
    {
        ABTest(variants: names.map { ABVariant(name: $0) }, metric: metric, minSample: minSample, fallback: fallback)
    }

    @Test func clearWinnerIsSignificant() {
        let test = test(["A", "B"])
        let evaluation = ABStatistics.evaluate(
            test,
            counts: ["A": ABCounts(sent: 200, delivered: 200, opened: 40), "B": ABCounts(delivered: 200, opened: 60)])
        #expect(evaluation.leader == "B")
        #expect(evaluation.significant)
        #expect(abs((evaluation.pValue ?? 1) - 0.020_921_335_337_794_066) < 1e-9)
        let decision = ABStatistics.decide(test, evaluation, now: Date())
        #expect(decision?.winner == "B" && decision?.basis == .significance)
    }

    @Test func smallDifferenceFallsBack() {
        let counts = ["A": ABCounts(delivered: 200, opened: 50), "B": ABCounts(delivered: 200, opened: 54)]
        let leader = test(["A", "B"])
        let evaluation = ABStatistics.evaluate(leader, counts: counts)
        #expect(evaluation.leader == "B" && !evaluation.significant)
        #expect(ABStatistics.decide(leader, evaluation, now: Date())?.basis == .leader)
        #expect(ABStatistics.decide(test(["A", "B"], fallback: .manual), evaluation, now: Date()) == nil)
    }

    @Test func minimumSampleAndBonferroni() {
        // Significant for two variants, but not with too few trials.
        let few = ABStatistics.evaluate(
            test(["A", "B"], minSample: 300),
            counts: ["A": ABCounts(delivered: 200, opened: 40), "B": ABCounts(delivered: 200, opened: 60)])
        #expect(!few.enoughSample && !few.significant)
        // p = 0.0209 for each comparison; with three variants the adjusted p is 2 × 0.0209 = 0.042 (still < 0.05),
        // with five 4 × 0.0209 = 0.084 (not).
        let three = ABStatistics.evaluate(
            test(["A", "B", "C"]),
            counts: [
                "A": ABCounts(delivered: 200, opened: 40), "B": ABCounts(delivered: 200, opened: 60),
                "C": ABCounts(delivered: 200, opened: 40),
            ])
        #expect(three.significant && abs((three.pValue ?? 0) - 2 * 0.020_921_335_337_794_066) < 1e-9)
        let five = ABStatistics.evaluate(
            test(["A", "B", "C", "D", "E"]),
            counts: [
                "A": ABCounts(delivered: 200, opened: 40), "B": ABCounts(delivered: 200, opened: 60),
                "C": ABCounts(delivered: 200, opened: 40), "D": ABCounts(delivered: 200, opened: 40),
                "E": ABCounts(delivered: 200, opened: 40),
            ])
        #expect(!five.significant && five.leader == "B")
    }

    @Test func clickToOpenUsesOpensAsTrials() {
        let evaluation = ABStatistics.evaluate(
            test(["A", "B"], metric: .clickToOpenRate, minSample: 1),
            counts: ["A": ABCounts(delivered: 900, opened: 10, clicked: 5), "B": ABCounts(delivered: 10, opened: 10)])
        #expect(evaluation.variants.map(\.trials) == [10, 10])
        #expect(evaluation.variants.map(\.rate) == [0.5, 0])
        #expect(evaluation.leader == "A")
    }
}

@Suite struct ABTestSettingsTests {
    @Test func assignmentIsStableAndEven() {
        let test = ABTest(
            variants: [ABVariant(name: "A"), ABVariant(name: "B"), ABVariant(name: "C")], testPercent: 20)
        var perVariant = [0, 0, 0]
        var inTest = 0
        for contact in Int64(1)...30_000 {
            let index = test.variantIndex(campaignID: 7, contactID: contact)
            #expect(index == test.variantIndex(campaignID: 7, contactID: contact))
            if let index {
                perVariant[index] += 1
                inTest += 1
            }
        }
        // 20% ± 4 standard deviations of a binomial(30000, 0.2) (sd ≈ 69), and each variant a third of that.
        #expect(abs(inTest - 6_000) < 280)
        for count in perVariant { #expect(abs(count - inTest / 3) < 200, "\(perVariant)") }
        // Another campaign splits differently.
        let other = (Int64(1)...200).filter {
            test.variantIndex(campaignID: 8, contactID: $0) != test.variantIndex(campaignID: 7, contactID: $0)
        }
        #expect(other.count > 20)
    }

    @Test func validationNamesTheMember() throws {
        func field(_ test: ABTest) -> String? {
            do {
                _ = try test.validated()
                return nil
            } catch CampaignStoreError.invalid(let field, _) {
                return field
            } catch {
                return "\(error)"
            }
        }
        #expect(field(ABTest(variants: [ABVariant()])) == "ab_test.variants")
        #expect(field(ABTest(variants: [ABVariant(name: "x"), ABVariant(name: "x")])) == "ab_test.variants[1].name")
        #expect(field(ABTest(variants: [ABVariant(), ABVariant(subject: "a\nb")])) == "ab_test.variants[1].subject")
        #expect(field(ABTest(variants: [ABVariant(), ABVariant()], testPercent: 0)) == "ab_test.test_percent")
        #expect(field(ABTest(variants: [ABVariant(), ABVariant()], confidence: 1)) == "ab_test.confidence")
        #expect(field(ABTest(variants: [ABVariant(), ABVariant()], minSample: 0)) == "ab_test.min_sample")
        let named = try ABTest(variants: [ABVariant(), ABVariant(name: "blue"), ABVariant()]).validated()
        #expect(named.variants.map(\.name) == ["A", "blue", "C"])
    }

    @Test func decodesWithDefaults() throws {
        let test = try JSONDecoder().decode(
            ABTest.self, from: Data(#"{"variants":[{"subject":"One"},{"subject":"Two","from_name":"Ann"}]}"#.utf8))
        #expect(test.testPercent == 20 && test.metric == .openRate && test.confidence == 0.95)
        #expect(test.minSample == 100 && test.fallback == .leader && test.waitSeconds == 14_400)
        #expect(test.variants[1].fromName == "Ann")
    }
}
