import ArgumentParser
import ConcordCore
import ConcordServer
import ConcordStore
import Foundation

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, list and revoke API keys, directly on the data folder or database.",
        discussion: """
            These commands act as the operator of the installation. On a fresh data folder, \
            'concord keys create --role secretariat.admin' makes the first administrator key.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a key and print it once.")

        @Option(help: "Member country (ISO 3166-1 alpha-3) the key acts for, if its role acts for one.")
        var member: String?
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "A note saying who or what holds the key.") var label: String?
        @Option(help: "Expiry: a date (2027-06-30), an ISO 8601 time, or a period such as 90d or 12h.")
        var expires: String?
        @Flag(help: "Print {\"id\": .., \"key\": ..} as JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError(
                    "unknown role '\(self.role)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var memberCode: MemberCode?
            if let member {
                guard let code = MemberCode(member) else {
                    throw ValidationError("unknown member country '\(member)' (use ISO 3166-1 alpha-3, e.g. FRA)")
                }
                memberCode = code
            }
            let expiry = try expires.map { try parseExpiry($0, now: Date()) }
            let issued = try await store.withStore { store in
                try await reportingDomainErrors {
                    try await KeyService(store: store).issue(
                        role: role, member: memberCode, label: label, expiresAt: expiry, by: .localOperator)
                }
            }
            if json {
                try printJSON(["id": issued.record.id, "key": issued.secret])
            } else {
                say("Key \(issued.record.id) for \(role.rawValue)\(memberCode.map { " of \($0)" } ?? "")")
                say(issued.secret)
                say("Store it now: it is shown only once.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let keys = try await store.withStore { try await KeyService(store: $0).list(by: .localOperator) }
            if json {
                try printJSON(keys.map { APIKeyView($0) })
                return
            }
            if keys.isEmpty { say("No keys. Create one with: concord keys create --role secretariat.admin") }
            let now = Date()
            for key in keys {
                let state: String
                switch key.validity(at: now) {
                case .valid: state = key.expiresAt.map { "expires \($0.formatted(.iso8601))" } ?? "valid"
                case .revoked: state = "revoked"
                case .expired: state = "expired"
                }
                say(
                    [key.id, key.role.rawValue, key.member?.rawValue ?? "-", state, key.label ?? ""]
                        .joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")
        @Argument(help: "The key id (key_...).") var id: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            _ = try await store.withStore { store in
                try await reportingDomainErrors {
                    try await KeyService(store: store).revoke(id: id, by: .localOperator)
                }
            }
            say("Revoked \(id).")
        }
    }
}

func parseExpiry(_ text: String, now: Date) throws -> Date {
    if let last = text.last, let amount = Int(text.dropLast()), amount > 0 {
        switch last {
        case "d": return now.addingTimeInterval(Double(amount) * 86_400)
        case "h": return now.addingTimeInterval(Double(amount) * 3_600)
        default: break
        }
    }
    if let day = CalendarDate(text),
        let date = try? Date.ISO8601FormatStyle().parse("\(day)T00:00:00Z")
    {
        return date
    }
    if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
    throw ValidationError("cannot read expiry '\(text)': use 2027-06-30, 2027-06-30T12:00:00Z, 90d or 12h")
}

/// Domain refusals become one readable line at the terminal.
func reportingDomainErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as DomainError {
        switch error {
        case .invalid(let field, let reason): throw CLIError("\(field): \(reason)")
        case .unauthenticated(let reason), .forbidden(let reason), .notFound(let reason), .conflict(let reason),
            .unavailable(let reason):
            throw CLIError(reason)
        }
    }
}
