import Foundation

/// A/B campaigns: the test shares first (each variant's when its send time comes), then a wait, then the
/// decision, then the winner to everyone not yet mailed. Every step is stored in the campaign's ``ABState``
/// and the ledger, so a pause, a restart or a crash resumes where it was and mails nobody twice (the
/// remainder is the audience minus the ledger, as for any campaign).
extension CampaignRunner {
    /// One run of an A/B campaign in `sending`: sends what is due in its phase.
    func runABTest(_ campaign: Campaign, _ test: ABTest) async throws {
        var state = campaign.abState ?? ABState()
        switch state.phase {
        case .testing:
            let now = Date()
            for (index, variant) in test.variants.enumerated() where !state.sentVariants.contains(variant.name) {
                if let sendAt = variant.sendAt, sendAt > now { continue }
                let prepared = try composer.prepare(campaign.applying(variant))
                let campaignID = campaign.id
                let (sent, finished) = try await sendBatches(campaign, prepared, variant: variant.name) {
                    test.variantIndex(campaignID: campaignID, contactID: $0.id ?? 0) == index
                }
                guard finished else {
                    logger.notice(
                        "A/B test stopped", metadata: ["campaign": "\(campaign.id)", "variant": "\(variant.name)"])
                    return
                }
                state.sentVariants.append(variant.name)
                try store.setABState(campaign.id, state)
                logger.notice(
                    "A/B test variant sent",
                    metadata: ["campaign": "\(campaign.id)", "variant": "\(variant.name)", "messages": "\(sent)"])
            }
            // Variants with a later send time: the scheduler starts the campaign again then.
            guard state.sentVariants.count == test.variants.count else { return }
            state.phase = .waiting
            state.testFinished = now
            state.decideAt = now.addingTimeInterval(test.waitSeconds)
            try store.setABState(campaign.id, state)
        case .waiting, .choosing:
            return
        case .remainder:
            guard let winner = state.decision?.winner, let variant = test.variants.first(where: { $0.name == winner })
            else { throw CampaignStoreError.conflict("campaign \(campaign.id) has no A/B winner") }
            let prepared = try composer.prepare(campaign.applying(variant))
            let (sent, finished) = try await sendBatches(campaign, prepared)
            guard finished else { return }
            state.phase = .done
            try store.setABState(campaign.id, state)
            _ = try store.transition(campaign.id, to: .sent)
            settings.onFinished?(campaign.id, sent)
            logger.notice(
                "A/B campaign sent",
                metadata: ["campaign": "\(campaign.id)", "winner": "\(winner)", "remainder": "\(sent)"])
        case .done:
            if try store.get(campaign.id).status == .sending { _ = try store.transition(campaign.id, to: .sent) }
        }
    }

    /// Called by the scheduler: starts A/B campaigns with a variant whose send time has come, and decides
    /// those whose wait is over (sending the remainder, or waiting for a manual choice).
    public func advanceABTests(now: Date = Date()) {
        do {
            for campaign in try store.campaigns(in: .sending) {
                guard let test = campaign.abTest else { continue }
                var state = campaign.abState ?? ABState()
                switch state.phase {
                case .testing:
                    let due = test.variants.contains { variant in
                        !state.sentVariants.contains(variant.name) && (variant.sendAt ?? now) <= now
                    }
                    if due { start(campaign.id) }
                case .waiting:
                    guard let decideAt = state.decideAt, decideAt <= now else { continue }
                    let evaluation = ABStatistics.evaluate(
                        test, counts: try ledger.variantCounts(campaignID: campaign.id))
                    if let decision = ABStatistics.decide(test, evaluation, now: now) {
                        try decided(campaign.id, test, &state, decision)
                    } else {
                        state.phase = .choosing
                        try store.setABState(campaign.id, state)
                        logger.notice(
                            "A/B test not significant: waiting for a manual choice",
                            metadata: ["campaign": "\(campaign.id)", "p": "\(evaluation.pValue ?? 1)"])
                    }
                case .choosing, .remainder, .done:
                    continue
                }
            }
        } catch {
            logger.error("A/B scheduler: \(error)")
        }
    }

    /// A manual choice of the winner, while the test waits for its results or for this choice.
    @discardableResult
    public func chooseWinner(_ campaignID: Int64, variant: String, now: Date = Date()) throws -> ABState {
        let campaign = try store.get(campaignID)
        guard let test = campaign.abTest else {
            throw CampaignStoreError.conflict("campaign \(campaignID) is not an A/B test")
        }
        guard test.variants.contains(where: { $0.name == variant }) else {
            throw CampaignStoreError.invalid(field: "variant", reason: "no variant \"\(variant)\"")
        }
        var state = campaign.abState ?? ABState()
        guard campaign.status == .sending, state.phase == .waiting || state.phase == .choosing else {
            throw CampaignStoreError.conflict(
                "campaign \(campaignID) is \(campaign.status.rawValue), A/B phase \(state.phase.rawValue): "
                    + "a winner is chosen once the test shares are sent and before one is decided")
        }
        let evaluation = ABStatistics.evaluate(test, counts: try ledger.variantCounts(campaignID: campaignID))
        try decided(
            campaignID, test, &state,
            ABDecision(
                winner: variant, basis: .manual, pValue: evaluation.pValue, significant: evaluation.significant,
                decided: now))
        return state
    }

    /// The test's current standing, for the API.
    public func abEvaluation(_ campaignID: Int64) throws -> (campaign: Campaign, evaluation: ABEvaluation) {
        let campaign = try store.get(campaignID)
        guard let test = campaign.abTest else {
            throw CampaignStoreError.notFound(resource: "A/B test of campaign", id: "\(campaignID)")
        }
        return (campaign, ABStatistics.evaluate(test, counts: try ledger.variantCounts(campaignID: campaignID)))
    }

    private func decided(_ campaignID: Int64, _ test: ABTest, _ state: inout ABState, _ decision: ABDecision) throws {
        state.decision = decision
        state.phase = test.testPercent >= 100 ? .done : .remainder
        try store.setABState(campaignID, state)
        logger.notice(
            "A/B winner",
            metadata: [
                "campaign": "\(campaignID)", "winner": "\(decision.winner)", "by": "\(decision.basis.rawValue)",
                "p": "\(decision.pValue ?? 1)",
            ])
        start(campaignID)
    }
}
