/// Known-benign values that must not raise alarms: private and reserved address ranges, public
/// DNS resolvers, very popular domains. A value on a list is still stored and correlated, but
/// flagged, so that nobody chases 8.8.8.8 or a link to google.com.
public struct Warninglist: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// Addresses and networks (CIDR), domains (which also cover their subdomains), or hashes.
    public var entries: [String]

    public init(name: String, description: String, entries: [String]) {
        self.name = name
        self.description = description
        self.entries = entries
    }
}

/// The lists in force, prepared for lookups.
public struct Warninglists: Sendable {
    public let lists: [Warninglist]
    private let networks: [(list: Int, network: IPNetwork)]
    private let exact: [String: [Int]]

    /// Lists whose entries are not addresses, networks, domains or hashes are refused, naming
    /// the list and the entry.
    public init(_ lists: [Warninglist]) throws(DomainError) {
        var networks: [(Int, IPNetwork)] = []
        var exact: [String: [Int]] = [:]
        for (index, list) in lists.enumerated() {
            for entry in list.entries {
                if let network = IPNetwork(entry.trimmingCharacters(in: .whitespaces)) {
                    networks.append((index, network))
                } else if let value = Observable.normaliseDomain(entry)
                    ?? [.md5, .sha1, .sha256, .sha512].lazy.compactMap({ Observable.normalise(entry, as: $0) }).first
                {
                    exact[value, default: []].append(index)
                } else {
                    throw DomainError.invalid(
                        field: "warninglists.\(list.name)", "'\(entry)' is not an address, network, domain or hash")
                }
            }
        }
        self.lists = lists
        self.networks = networks
        self.exact = exact
    }

    /// The names of the lists `observable` is on. URLs and email addresses are judged by
    /// their host or domain; a domain is on a list when it or a parent domain is.
    public func lists(containing observable: Observable) -> [String] {
        var found: Set<Int> = []
        func host(_ text: String) {
            if let network = IPNetwork(text.trimmingCharacters(in: ["[", "]"])) {
                for (list, candidate) in networks where candidate.contains(network) { found.insert(list) }
                return
            }
            var domain = Substring(text)
            while true {
                found.formUnion(exact[String(domain)] ?? [])
                guard let dot = domain.firstIndex(of: ".") else { break }
                domain = domain[domain.index(after: dot)...]
            }
        }
        switch observable.kind {
        case .ipv4, .ipv6, .domain:
            host(observable.value)
        case .url:
            let afterScheme = observable.value.components(separatedBy: "://").dropFirst().joined(separator: "://")
            var authority = afterScheme.prefix { $0 != "/" }
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host(String(authority[authority.index(after: authority.startIndex)..<close]))
            } else {
                host(String(authority.prefix { $0 != ":" }))
            }
        case .email:
            host(String(observable.value.split(separator: "@").last ?? ""))
        case .md5, .sha1, .sha256, .sha512:
            found.formUnion(exact[observable.value] ?? [])
        }
        return found.sorted().map { lists[$0].name }
    }

    /// The lists Concord starts with, ready for lookups.
    public static let standard = try! Warninglists(Warninglist.standard)
}

extension Warninglist {
    /// The lists Concord starts with; deployments replace them with their own file.
    public static let standard: [Warninglist] = [
        Warninglist(
            name: "reserved-ranges",
            description:
                "Private, loopback, link-local, shared and documentation address ranges (RFC 1918, 6598, 3927, 5737, 4193, 4291, 3849)",
            entries: [
                "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
                "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
                "240.0.0.0/4", "::1/128", "::/128", "fc00::/7", "fe80::/10", "2001:db8::/32", "ff00::/8",
            ]),
        Warninglist(
            name: "public-resolvers",
            description: "Public DNS resolvers, which every network talks to",
            entries: [
                "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222",
                "208.67.220.220", "94.140.14.14", "94.140.15.15", "2001:4860:4860::8888", "2001:4860:4860::8844",
                "2606:4700:4700::1111", "2606:4700:4700::1001", "2620:fe::fe", "2620:fe::9",
            ]),
        Warninglist(
            name: "popular-domains",
            description: "Very popular domains and their subdomains, rarely malicious in themselves",
            entries: [
                "google.com", "youtube.com", "facebook.com", "instagram.com", "whatsapp.com", "wikipedia.org",
                "amazon.com", "apple.com", "microsoft.com", "windowsupdate.com", "office.com", "live.com", "bing.com",
                "linkedin.com", "x.com", "twitter.com", "yahoo.com", "baidu.com", "yandex.ru", "cloudflare.com",
                "akamai.net", "github.com", "netflix.com", "zoom.us",
            ]),
    ]
}
