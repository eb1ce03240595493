import NIOConcurrencyHelpers
import NIOCore

/// Open sessions across all listeners: enforces the connection limits and
/// lets shutdown reach every live session.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: Channel] = [:]
        var perAddress: [String: Int] = [:]
        var totals = ConnectionTotals()
    }

    private let state = NIOLockedValueBox(State())
    let maxConnections: Int
    let maxConnectionsPerIP: Int

    init(maxConnections: Int, maxConnectionsPerIP: Int) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
    }

    enum Admission { case admitted, tooManyTotal, tooManyFromAddress }

    /// Registers a new connection unless a limit is reached.
    func admit(_ channel: Channel, address: String) -> Admission {
        state.withLockedValue { state in
            if state.channels.count >= maxConnections {
                state.totals.refusedOverTotalLimit += 1
                return .tooManyTotal
            }
            let fromAddress = state.perAddress[address, default: 0]
            if fromAddress >= maxConnectionsPerIP {
                state.totals.refusedOverAddressLimit += 1
                return .tooManyFromAddress
            }
            state.totals.admitted += 1
            state.channels[ObjectIdentifier(channel)] = channel
            state.perAddress[address] = fromAddress + 1
            return .admitted
        }
    }

    func remove(_ channel: Channel, address: String) {
        state.withLockedValue { state in
            guard state.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            let left = state.perAddress[address, default: 1] - 1
            state.perAddress[address] = left > 0 ? left : nil
        }
    }

    var count: Int { state.withLockedValue { $0.channels.count } }

    var totals: ConnectionTotals { state.withLockedValue { $0.totals } }

    var channels: [Channel] { state.withLockedValue { Array($0.channels.values) } }
}

/// Connections since start: admitted to a session, or answered 421 over a limit.
public struct ConnectionTotals: Sendable, Hashable {
    public var admitted = 0
    public var refusedOverTotalLimit = 0
    public var refusedOverAddressLimit = 0
}

/// Sent down a session's pipeline when the shutdown grace period is over.
struct SMTPShutdownEvent: Sendable {}
