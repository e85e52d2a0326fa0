/// Observable values in one canonical spelling each, so that the same address, domain or hash
/// correlates however a partner wrote it.
public enum ObservableKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ipv4, ipv6, domain, url, email, md5, sha1, sha256, sha512

    public init?(stixType: String) {
        switch stixType {
        case "ipv4-addr": self = .ipv4
        case "ipv6-addr": self = .ipv6
        case "domain-name": self = .domain
        case "url": self = .url
        case "email-addr": self = .email
        default: return nil
        }
    }

    /// STIX hash algorithm names (`SHA-256`), and the spellings feeds use without the hyphen.
    public init?(hashAlgorithm: String) {
        switch hashAlgorithm.uppercased().replacingOccurrences(of: "-", with: "") {
        case "MD5": self = .md5
        case "SHA1": self = .sha1
        case "SHA256": self = .sha256
        case "SHA512": self = .sha512
        default: return nil
        }
    }

    var hexLength: Int? {
        switch self {
        case .md5: 32
        case .sha1: 40
        case .sha256: 64
        case .sha512: 128
        default: nil
        }
    }
}

public struct Observable: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: ObservableKind
    /// Canonical: see `normalise(_:as:)`.
    public var value: String

    public init?(_ raw: String, as kind: ObservableKind) {
        guard let value = Self.normalise(raw, as: kind) else { return nil }
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind.rawValue):\(value)" }

    /// The stored values that correlate with this one: the same value, and for an address or
    /// network also every network that contains it, so that an address finds the CIDR ranges
    /// that were shared.
    public var correlatingValues: [String] {
        guard kind == .ipv4 || kind == .ipv6, let network = IPNetwork(value) else { return [value] }
        return network.enclosingNetworks.map(\.description)
    }

    /// The value a plain equality test in a pattern names (`[url:value = '…']`,
    /// `[file:hashes.'SHA-256' = '…']`), or nil for any other test.
    public init?(_ comparison: STIXPattern.Comparison) {
        guard comparison.operator == "=", !comparison.negated, let raw = comparison.values.first else { return nil }
        let kind: ObservableKind?
        if comparison.path == "value" {
            kind = ObservableKind(stixType: comparison.objectType)
        } else if comparison.objectType == "file", comparison.path.hasPrefix("hashes.") {
            kind = ObservableKind(hashAlgorithm: comparison.path.dropFirst(7).trimmingCharacters(in: ["'"]))
        } else {
            kind = nil
        }
        guard let kind else { return nil }
        self.init(raw, as: kind)
    }

    /// - IPv4: dotted decimal without leading zeros; a network as `address/prefix` with its
    ///   host bits cleared, and `/32` dropped.
    /// - IPv6: RFC 5952 (lower case, the longest run of zero groups as `::`); networks alike.
    /// - Domains: lower case, no trailing dot.
    /// - URLs: lower-case scheme and host, no default port, `/` for an empty path, no fragment.
    /// - Email addresses: lower case.
    /// - Hashes: lower-case hexadecimal of the algorithm's length.
    public static func normalise(_ raw: String, as kind: ObservableKind) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .ipv4, .ipv6:
            guard let network = IPNetwork(text), (network.address.count == 4) == (kind == .ipv4) else { return nil }
            return network.description
        case .domain:
            return normaliseDomain(text)
        case .url:
            return normaliseURL(text)
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !parts[0].contains(where: \.isWhitespace),
                let domain = normaliseDomain(String(parts[1]))
            else { return nil }
            return parts[0].lowercased() + "@" + domain
        case .md5, .sha1, .sha256, .sha512:
            guard text.count == kind.hexLength, text.allSatisfy(\.isHexDigit), text.allSatisfy(\.isASCII) else {
                return nil
            }
            return text.lowercased()
        }
    }

    static func normaliseDomain(_ raw: String) -> String? {
        var name = raw.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, labels.count >= 2, IPNetwork(name) == nil else { return nil }
        for label in labels {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else { return nil }
        }
        return name
    }

    static func normaliseURL(_ raw: String) -> String? {
        guard let schemeEnd = raw.range(of: "://") else { return nil }
        let scheme = raw[..<schemeEnd.lowerBound].lowercased()
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        else { return nil }
        var rest = raw[schemeEnd.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let pathStart = rest.firstIndex(where: { "/?".contains($0) }) ?? rest.endIndex
        var authority = rest[..<pathStart]
        var path = String(rest[pathStart...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard !path.contains(where: \.isWhitespace) else { return nil }
        var userInfo = ""
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            authority = authority[authority.index(after: at)...]
        }
        var host = String(authority)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { return nil }
                port = number
            } else if !after.isEmpty {
                return nil
            }
            guard let address = normalise(String(host[host.index(after: host.startIndex)..<close]), as: .ipv6),
                !address.contains("/")
            else { return nil }
            host = "[" + address + "]"
        } else {
            if let colon = host.lastIndex(of: ":") {
                guard let number = Int(host[host.index(after: colon)...]) else { return nil }
                port = number
                host = String(host[..<colon])
            }
            if let address = normalise(host, as: .ipv4), !address.contains("/") {
                host = address
            } else if let domain = normaliseDomain(host) {
                host = domain
            } else if host.lowercased() == "localhost" {
                host = "localhost"
            } else {
                return nil
            }
        }
        if let number = port {
            guard (1...65_535).contains(number) else { return nil }
            let defaults = ["http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443]
            if defaults[scheme] == number { port = nil }
        }
        return scheme + "://" + userInfo + host + (port.map { ":\($0)" } ?? "") + path
    }
}

/// An IPv4 or IPv6 address, or a network of them (CIDR).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes, host bits cleared.
    public let address: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        var addressText = Substring(text)
        var prefix: Int?
        if let slash = text.firstIndex(of: "/") {
            guard let length = Int(text[text.index(after: slash)...]) else { return nil }
            prefix = length
            addressText = text[..<slash]
        }
        guard let bytes = Self.ipv4(addressText) ?? Self.ipv6(addressText) else { return nil }
        let length = prefix ?? bytes.count * 8
        guard (0...(bytes.count * 8)).contains(length) else { return nil }
        self.address = bytes.enumerated().map { index, byte in
            let kept = max(0, min(8, length - index * 8))
            return kept == 8 ? byte : byte & ~(UInt8(0xFF) >> kept)
        }
        self.prefixLength = length
    }

    /// The networks that contain this one, widest first, ending with itself.
    public var enclosingNetworks: [IPNetwork] {
        (0...prefixLength).map { IPNetwork(bytes: address, prefixLength: $0) }
    }

    public func contains(_ other: IPNetwork) -> Bool {
        guard other.address.count == address.count, other.prefixLength >= prefixLength else { return false }
        return IPNetwork(bytes: other.address, prefixLength: prefixLength) == self
    }

    private init(bytes: [UInt8], prefixLength: Int) {
        self.address = bytes.enumerated().map { index, byte in
            let kept = max(0, min(8, prefixLength - index * 8))
            return kept == 8 ? byte : byte & ~(UInt8(0xFF) >> kept)
        }
        self.prefixLength = prefixLength
    }

    public var description: String {
        let text: String
        if address.count == 4 {
            text = address.map(String.init).joined(separator: ".")
        } else {
            let groups = (0..<8).map { Int(address[2 * $0]) << 8 | Int(address[2 * $0 + 1]) }
            // RFC 5952: the longest run of two or more zero groups becomes "::", the first if tied.
            var best = (start: -1, length: 1)
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > best.length { best = (index, end - index) }
                index = end
            }
            let hex = groups.map { String($0, radix: 16) }
            if best.start >= 0 {
                text =
                    hex[..<best.start].joined(separator: ":") + "::"
                    + hex[(best.start + best.length)...].joined(separator: ":")
            } else {
                text = hex.joined(separator: ":")
            }
        }
        return prefixLength == address.count * 8 ? text : "\(text)/\(prefixLength)"
    }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            // Leading zeros are refused: some systems read them as octal.
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || part.first != "0", let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        var text = text
        var tail: [UInt8] = []
        // An IPv4 address may end an IPv6 one (::ffff:192.0.2.1).
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = v4
            text = text[...lastColon]
            if text.hasSuffix(":"), !text.hasSuffix("::") { text = text.dropLast() }
        }
        func groups(_ part: Substring) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit),
                    let value = UInt16(group, radix: 16)
                else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        let halves = text.components(separatedBy: "::")
        let total = 16 - tail.count
        switch halves.count {
        case 1:
            guard let bytes = groups(Substring(halves[0])), bytes.count == total else { return nil }
            return bytes + tail
        case 2:
            guard let head = groups(Substring(halves[0])), let rest = groups(Substring(halves[1])),
                head.count + rest.count <= total - 2
            else { return nil }
            return head + [UInt8](repeating: 0, count: total - head.count - rest.count) + rest + tail
        default:
            return nil
        }
    }
}
