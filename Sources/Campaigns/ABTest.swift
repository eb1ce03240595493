import Foundation

/// A campaign's A/B test: 2 to 5 variants (subject, from name, content or send time), sent to a test share of
/// the audience split evenly at random; after `waitSeconds` a winner is picked by `metric` when the difference
/// is significant at `confidence` (``ABStatistics``), otherwise by `fallback`; the rest of the audience then
/// gets the winner.
public struct ABTest: Sendable, Hashable, Codable {
    public var variants: [ABVariant]
    /// Percentage of the audience in the test (1–100; 100: everyone is in the test and nobody is left over).
    public var testPercent: Double
    public var metric: ABMetric
    /// From the end of the test sends to the decision.
    public var waitSeconds: Double
    /// Confidence level of the significance test and of the reported intervals (0.5–0.999).
    public var confidence: Double
    /// The metric's denominator (delivered, or opens for click-to-open) each variant needs before a
    /// difference can count as significant.
    public var minSample: Int
    /// Who decides when the difference is not significant.
    public var fallback: ABFallback

    public init(
        variants: [ABVariant], testPercent: Double = 20, metric: ABMetric = .openRate, waitSeconds: Double = 14_400,
        confidence: Double = 0.95, minSample: Int = 100, fallback: ABFallback = .leader
    ) {
        self.variants = variants
        self.testPercent = testPercent
        self.metric = metric
        self.waitSeconds = waitSeconds
        self.confidence = confidence
        self.minSample = minSample
        self.fallback = fallback
    }

    enum CodingKeys: String, CodingKey {
        case variants
        case testPercent = "test_percent"
        case metric
        case waitSeconds = "wait_seconds"
        case confidence
        case minSample = "min_sample"
        case fallback
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ABTest(variants: [])
        variants = try container.decode([ABVariant].self, forKey: .variants)
        testPercent = try container.decodeIfPresent(Double.self, forKey: .testPercent) ?? defaults.testPercent
        metric = try container.decodeIfPresent(ABMetric.self, forKey: .metric) ?? defaults.metric
        waitSeconds = try container.decodeIfPresent(Double.self, forKey: .waitSeconds) ?? defaults.waitSeconds
        confidence = try container.decodeIfPresent(Double.self, forKey: .confidence) ?? defaults.confidence
        minSample = try container.decodeIfPresent(Int.self, forKey: .minSample) ?? defaults.minSample
        fallback = try container.decodeIfPresent(ABFallback.self, forKey: .fallback) ?? defaults.fallback
    }

    /// The test with unnamed variants named A, B, C…; throws ``CampaignStoreError/invalid(field:reason:)``
    /// naming the member (`ab_test.variants[1].name`) for anything out of range.
    public func validated() throws -> ABTest {
        func invalid(_ field: String, _ reason: String) -> CampaignStoreError {
            .invalid(field: "ab_test." + field, reason: reason)
        }
        guard (2...5).contains(variants.count) else { throw invalid("variants", "give 2 to 5 variants") }
        var test = self
        var names: Set<String> = []
        for index in test.variants.indices {
            if test.variants[index].name.isEmpty {
                test.variants[index].name = String(UnicodeScalar(UInt8(ascii: "A") + UInt8(index)))
            }
            let variant = test.variants[index]
            guard variant.name.count <= 32, variant.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw invalid("variants[\(index)].name", "letters, digits and '-', at most 32")
            }
            guard names.insert(variant.name).inserted else {
                throw invalid("variants[\(index)].name", "\"\(variant.name)\" is used twice")
            }
            if let subject = variant.subject, subject.isEmpty || subject.contains(where: \.isNewline) {
                throw invalid("variants[\(index)].subject", "must be one non-empty line")
            }
            if let name = variant.fromName, name.contains(where: \.isNewline) {
                throw invalid("variants[\(index)].from_name", "must be one line")
            }
        }
        guard testPercent > 0, testPercent <= 100 else { throw invalid("test_percent", "must be above 0, at most 100") }
        guard waitSeconds >= 0, waitSeconds <= 30 * 86_400 else {
            throw invalid("wait_seconds", "must be 0 to 2592000 (30 days)")
        }
        guard confidence >= 0.5, confidence <= 0.999 else { throw invalid("confidence", "must be 0.5 to 0.999") }
        guard minSample >= 1 else { throw invalid("min_sample", "must be at least 1") }
        return test
    }

    /// The index of the variant a contact gets in the test, or nil when it is not in the test share. A pure
    /// function of the campaign and contact ids (SplitMix64, Steele et al., OOPSLA 2014), so that a paused,
    /// resumed or restarted test puts everyone where it put them before; each contact is in the share with
    /// probability `testPercent`/100 and then in each variant with equal probability.
    public func variantIndex(campaignID: Int64, contactID: Int64) -> Int? {
        let first = Self.mix(UInt64(bitPattern: campaignID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: contactID))
        let uniform = Double(first >> 11) / Double(UInt64(1) << 53)
        guard uniform < testPercent / 100 else { return nil }
        return Int(Self.mix(first ^ 0xD1B5_4A32_D192_ED03) % UInt64(variants.count))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What one variant changes; nil keeps the campaign's own.
public struct ABVariant: Sendable, Hashable, Codable {
    public var name: String
    public var subject: String?
    public var fromName: String?
    public var templateID: Int64?
    /// When this variant's test share is sent (send-time tests); nil: when the campaign starts.
    public var sendAt: Date?

    public init(
        name: String = "", subject: String? = nil, fromName: String? = nil, templateID: Int64? = nil,
        sendAt: Date? = nil
    ) {
        self.name = name
        self.subject = subject
        self.fromName = fromName
        self.templateID = templateID
        self.sendAt = sendAt
    }

    enum CodingKeys: String, CodingKey {
        case name, subject
        case fromName = "from_name"
        case templateID = "template_id"
        case sendAt = "send_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        fromName = try container.decodeIfPresent(String.self, forKey: .fromName)
        templateID = try container.decodeIfPresent(Int64.self, forKey: .templateID)
        sendAt = try container.decodeIfPresent(Date.self, forKey: .sendAt)
    }
}

/// The rate a test is decided on, as the industry defines it: unique human opens / delivered, unique clicks /
/// delivered, unique clicks / unique opens.
public enum ABMetric: String, Sendable, Hashable, Codable, CaseIterable {
    case openRate = "open_rate"
    case clickRate = "click_rate"
    case clickToOpenRate = "click_to_open_rate"
}

public enum ABFallback: String, Sendable, Hashable, Codable, CaseIterable {
    /// Wait for `POST /api/v1/campaigns/{id}/ab/winner`.
    case manual
    /// The variant ahead when the wait ends wins, significant or not.
    case leader
}

/// Where an A/B campaign is: sending its test shares, waiting for results, waiting for a manual choice,
/// sending the winner to the rest, done.
public enum ABPhase: String, Sendable, Hashable, Codable {
    case testing, waiting, choosing, remainder, done
}

/// The progress of a campaign's A/B test, stored with the campaign.
public struct ABState: Sendable, Hashable, Codable {
    public var phase: ABPhase = .testing
    /// Variants whose test share has been sent in full.
    public var sentVariants: [String] = []
    public var testFinished: Date?
    public var decideAt: Date?
    public var decision: ABDecision?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case phase
        case sentVariants = "sent_variants"
        case testFinished = "test_finished"
        case decideAt = "decide_at"
        case decision
    }
}

/// The winner and why.
public struct ABDecision: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, Codable {
        /// The leader's lead is significant.
        case significance
        /// Not significant; the `leader` fallback picked the variant ahead.
        case leader
        /// Chosen over the API.
        case manual
    }

    public var winner: String
    public var basis: Basis
    /// Of the leader against the others (Bonferroni-adjusted), at decision time; nil without data.
    public var pValue: Double?
    public var significant: Bool
    public var decided: Date

    public init(winner: String, basis: Basis, pValue: Double?, significant: Bool, decided: Date) {
        self.winner = winner
        self.basis = basis
        self.pValue = pValue
        self.significant = significant
        self.decided = decided
    }

    enum CodingKeys: String, CodingKey {
        case winner
        case basis = "decided_by"
        case pValue = "p_value"
        case significant
        case decided
    }
}

extension Campaign {
    /// The campaign as `variant` sends it.
    public func applying(_ variant: ABVariant) -> Campaign {
        var campaign = self
        if let name = variant.fromName { campaign.fromName = name }
        if let templateID = variant.templateID, templateID != campaign.templateID {
            campaign.templateID = templateID
            campaign.templateVersion = nil
        }
        if let subject = variant.subject { campaign.subjectOverride = subject }
        return campaign
    }
}
