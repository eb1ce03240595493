import Foundation

/// A rate such as "100/s", "20/m" or "3000/h".
public struct Rate: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var per: Duration

    public init(count: Int, per: Duration) {
        self.count = count
        self.per = per
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0].trimmingCharacters(in: .whitespaces)), count > 0 else {
            return nil
        }
        switch parts[1].trimmingCharacters(in: .whitespaces) {
        case "s", "sec", "second": per = .seconds(1)
        case "m", "min", "minute": per = .seconds(60)
        case "h", "hour": per = .seconds(3600)
        case "d", "day": per = .seconds(86_400)
        default: return nil
        }
        self.count = count
    }

    public var description: String {
        let unit =
            switch per {
            case .seconds(1): "s"
            case .seconds(60): "m"
            case .seconds(3600): "h"
            default: "d"
            }
        return "\(count)/\(unit)"
    }
}

/// Limits of one delivery path (an MX site or a domain). A nil field
/// inherits from the level below (provider, then default).
public struct PathLimits: Sendable, Equatable {
    public var maxConnections: Int?
    public var maxMessagesPerConnection: Int?
    public var messageRate: Rate?
    public var connectionRate: Rate?
    /// STARTTLS policy for the path: "opportunistic", "required", "disabled".
    public var tls: DeliveryConfig.TLSMode?

    public init(
        maxConnections: Int? = nil, maxMessagesPerConnection: Int? = nil, messageRate: Rate? = nil,
        connectionRate: Rate? = nil, tls: DeliveryConfig.TLSMode? = nil
    ) {
        self.maxConnections = maxConnections
        self.maxMessagesPerConnection = maxMessagesPerConnection
        self.messageRate = messageRate
        self.connectionRate = connectionRate
        self.tls = tls
    }

    /// These limits where set, `base` elsewhere.
    public func over(_ base: PathLimits) -> PathLimits {
        PathLimits(
            maxConnections: maxConnections ?? base.maxConnections,
            maxMessagesPerConnection: maxMessagesPerConnection ?? base.maxMessagesPerConnection,
            messageRate: messageRate ?? base.messageRate, connectionRate: connectionRate ?? base.connectionRate,
            tls: tls ?? base.tls)
    }
}

/// What to do when a remote reply matches `pattern` (case-insensitive
/// substring of the reply text, enhanced code included).
public struct BackoffRule: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable, CaseIterable {
        /// Stop delivering on the path for `duration`; waiting mail is deferred.
        case suspend
        /// Halve the path's connections and message rate for `duration`.
        case throttle
    }

    public var pattern: String
    public var action: Action
    public var duration: Duration

    public init(pattern: String, action: Action, duration: Duration) {
        self.pattern = pattern
        self.action = action
        self.duration = duration
    }

    public func matches(_ replyText: String) -> Bool {
        replyText.range(of: pattern, options: .caseInsensitive) != nil
    }
}

/// Rules for a mailbox provider, matched by MX host name suffix (as KumoMTA
/// matches its shaping rules), so every domain hosted there shares them.
public struct ProviderRule: Sendable, Equatable {
    public var name: String
    public var mxSuffixes: [String]
    public var limits: PathLimits
    public var backoff: [BackoffRule]

    public init(name: String, mxSuffixes: [String], limits: PathLimits, backoff: [BackoffRule]) {
        self.name = name
        self.mxSuffixes = mxSuffixes
        self.limits = limits
        self.backoff = backoff
    }

    public func matches(mxHost: String) -> Bool {
        let host = mxHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return mxSuffixes.contains { suffix in
            let bare = suffix.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return host == bare || host.hasSuffix("." + bare)
        }
    }
}

/// One day of a source's warm-up: at most `limit` messages that day.
public struct WarmupStep: Sendable, Equatable {
    public var day: Int
    public var limit: Int

    public init(day: Int, limit: Int) {
        self.day = day
        self.limit = limit
    }
}

/// Limits for the result of a lookup: complete, with the rules that apply.
public struct ResolvedShaping: Sendable, Equatable {
    public var provider: String?
    public var maxConnections: Int
    public var maxMessagesPerConnection: Int
    public var messageRate: Rate?
    public var connectionRate: Rate?
    public var tls: DeliveryConfig.TLSMode?
    public var backoff: [BackoffRule]
}

/// conf/shaping.toml: traffic shaping as data handed to the queue.
public struct ShapingConfig: Sendable, Equatable {
    public var defaults: PathLimits
    public var domains: [String: PathLimits]
    public var providers: [ProviderRule]
    /// Backoff rules for every path.
    public var backoff: [BackoffRule]
    /// Daily message caps of a new source, by day since its `warmup_start`.
    public var warmup: [WarmupStep]

    public init(
        defaults: PathLimits, domains: [String: PathLimits], providers: [ProviderRule], backoff: [BackoffRule],
        warmup: [WarmupStep]
    ) {
        self.defaults = defaults
        self.domains = domains
        self.providers = providers
        self.backoff = backoff
        self.warmup = warmup
    }

    /// The limits for `domain` whose MX hosts are `mxHosts`: domain rules
    /// over the provider matched by the first MX host, over the defaults.
    public func resolve(domain: String, mxHosts: [String]) -> ResolvedShaping {
        let provider = mxHosts.lazy.compactMap { host in self.providers.first { $0.matches(mxHost: host) } }.first
        var limits = defaults
        if let provider { limits = provider.limits.over(limits) }
        if let domainLimits = domains[domain.lowercased()] { limits = domainLimits.over(limits) }
        return ResolvedShaping(
            provider: provider?.name, maxConnections: limits.maxConnections ?? 10,
            maxMessagesPerConnection: limits.maxMessagesPerConnection ?? 100, messageRate: limits.messageRate,
            connectionRate: limits.connectionRate, tls: limits.tls, backoff: (provider?.backoff ?? []) + backoff)
    }

    /// The TLS policy set for a domain (domain rule, else provider, else default), if any.
    public func tlsPolicy(domain: String) -> DeliveryConfig.TLSMode? {
        domains[domain.lowercased()]?.tls ?? defaults.tls
    }

    /// The daily cap of a source `days` days into its warm-up; nil when the
    /// schedule is over (or empty).
    public func warmupLimit(day: Int) -> Int? {
        guard let last = warmup.last, day <= last.day else { return nil }
        return warmup.last { $0.day <= day }?.limit ?? warmup.first?.limit
    }
}
