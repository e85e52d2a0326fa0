import Crypto
import Foundation

/// What happened, before the store gives it a position in the chain.
public struct JournalDraft: Sendable, Hashable {
    public enum Category: String, Sendable, Hashable, Codable {
        case write
        case query
    }

    public var category: Category
    /// Microseconds since 1970, so that hashing never depends on floating-point formatting.
    public var time: Int64
    public var actor: String
    public var role: String?
    public var member: String?
    public var action: String
    public var targets: [String]
    public var purpose: String?
    public var outcome: String

    public init(
        category: Category, time: Date, principal: Principal, action: String, targets: [String],
        purpose: Purpose?, outcome: String
    ) {
        self.category = category
        self.time = JournalDraft.microseconds(time)
        self.actor = principal.actor
        self.role = principal.role?.rawValue
        self.member = principal.member?.rawValue
        self.action = action
        self.targets = targets
        self.purpose = purpose?.rawValue
        self.outcome = outcome
    }

    public init(
        category: Category, time: Int64, actor: String, role: String?, member: String?, action: String,
        targets: [String], purpose: String?, outcome: String
    ) {
        self.category = category
        self.time = time
        self.actor = actor
        self.role = role
        self.member = member
        self.action = action
        self.targets = targets
        self.purpose = purpose
        self.outcome = outcome
    }

    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public var date: Date { Date(timeIntervalSince1970: Double(time) / 1_000_000) }
}

/// An entry in the chain. `hash` covers the previous hash, the position and every field, so
/// changing, removing or reordering any entry breaks every hash after it.
public struct JournalEntry: Sendable, Hashable {
    public var position: Int64
    public var draft: JournalDraft
    public var previousHash: String
    public var hash: String

    public init(position: Int64, draft: JournalDraft, previousHash: String, hash: String) {
        self.position = position
        self.draft = draft
        self.previousHash = previousHash
        self.hash = hash
    }
}

public enum JournalChain {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends drafts after the given head, returning the sealed entries.
    public static func seal(
        _ drafts: [JournalDraft], after position: Int64, previousHash: String
    ) -> [JournalEntry] {
        var position = position
        var previous = previousHash
        return drafts.map { draft in
            position += 1
            let hash = self.hash(position: position, draft: draft, previousHash: previous)
            defer { previous = hash }
            return JournalEntry(position: position, draft: draft, previousHash: previous, hash: hash)
        }
    }

    public static func hash(position: Int64, draft: JournalDraft, previousHash: String) -> String {
        // Length-prefixed fields: no choice of separator could otherwise stop a crafted value
        // from shifting bytes between neighbouring fields. They are gathered first and hashed
        // in one call: every query appends an entry, and small updates cost more than hashing.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        func field(_ text: String?) {
            guard let text else {
                bytes.append(contentsOf: "-;".utf8)
                return
            }
            bytes.append(contentsOf: String(text.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: text.utf8)
        }
        field(previousHash)
        field(String(position))
        field(draft.category.rawValue)
        field(String(draft.time))
        field(draft.actor)
        field(draft.role)
        field(draft.member)
        field(draft.action)
        field(String(draft.targets.count))
        draft.targets.forEach { field($0) }
        field(draft.purpose)
        field(draft.outcome)
        return hex(Array(SHA256.hash(data: bytes)))
    }

    public enum Verdict: Sendable, Equatable {
        case sound(entries: Int64)
        /// The first entry that does not fit the chain, and why.
        case broken(position: Int64, reason: String)
    }

    /// Checks entries in the order the store returns them. Feed it page by page.
    public struct Verifier: Sendable {
        public private(set) var position: Int64 = 0
        public private(set) var hash: String = JournalChain.genesis
        public private(set) var failure: Verdict?

        public init() {}

        public mutating func consume(_ entry: JournalEntry) {
            guard failure == nil else { return }
            let expected = position + 1
            if entry.position != expected {
                failure = .broken(
                    position: expected,
                    reason: "entry \(expected) is missing (next entry found is \(entry.position))")
                return
            }
            if entry.previousHash != hash {
                failure = .broken(
                    position: entry.position, reason: "does not link to the entry before it")
                return
            }
            let recomputed = JournalChain.hash(
                position: entry.position, draft: entry.draft, previousHash: entry.previousHash)
            if recomputed != entry.hash {
                failure = .broken(position: entry.position, reason: "content does not match its hash")
                return
            }
            position = entry.position
            hash = entry.hash
        }

        /// The verdict once every entry was consumed; `head` is the store's record of the last
        /// entry, which catches entries cut from the end of the chain.
        public func finish(head: (position: Int64, hash: String)?) -> Verdict {
            if let failure { return failure }
            let headPosition = head?.position ?? 0
            if headPosition != position {
                return .broken(
                    position: min(headPosition, position) + 1,
                    reason: "the journal head says \(headPosition) entries but \(position) were found")
            }
            if let head, head.hash != hash {
                return .broken(position: position, reason: "the journal head does not match the last entry")
            }
            return .sound(entries: position)
        }
    }
}
