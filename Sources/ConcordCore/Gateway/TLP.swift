/// The Traffic Light Protocol (FIRST TLP 2.0), and the STIX marking definitions that carry
/// it, in their 2.0 form and the 1.0 form many feeds still send.
public enum TLPLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case clear
    case green
    case amber
    case amberStrict = "amber+strict"
    case red

    /// Later cases are more restrictive: an object marked twice is as restricted as its
    /// stricter marking.
    public static func < (lhs: TLPLevel, rhs: TLPLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// `TLP:AMBER+STRICT`, as marking names write it.
    public var label: String { "TLP:" + rawValue.uppercased() }
}

public enum TLPMarking {
    /// The STIX 2.1 extension that defines the TLP 2.0 marking definitions.
    public static let extensionDefinition = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

    /// The standard marking definition ids. TLP 1.0's WHITE is 2.0's CLEAR.
    public static let levels: [String: TLPLevel] = [
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": .clear,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": .green,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": .amber,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": .red,
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": .clear,
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": .green,
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": .amber,
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": .amberStrict,
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": .red,
    ]

    /// The strictest TLP level among marking references; nil when none is a TLP marking.
    public static func level(of markingReferences: [String]) -> TLPLevel? {
        markingReferences.compactMap { levels[$0] }.max()
    }

    /// Why a marking definition object misstates TLP, or nil when it is consistent: a standard
    /// id must say its own level wherever it states one, and a TLP level may only be stated
    /// under a standard id, so that no feed can mint its own "TLP:CLEAR".
    public static func inconsistency(in object: [String: JSONValue]) -> String? {
        var stated: [(String, String)] = []
        if let name = object["name"]?.string, name.uppercased().hasPrefix("TLP:") {
            stated.append(("name", String(name.dropFirst(4)).lowercased()))
        }
        if object["definition_type"]?.string == "tlp" {
            stated.append(("definition.tlp", object["definition"]?["tlp"]?.string?.lowercased() ?? ""))
        }
        if let tlp2 = object["extensions"]?[extensionDefinition]?["tlp_2_0"] {
            stated.append(("extensions.tlp_2_0", tlp2.string?.lowercased() ?? ""))
        }
        guard let id = object["id"]?.string else { return nil }
        guard let level = levels[id] else {
            return stated.isEmpty ? nil : "a TLP marking must use the standard marking definition id for its level"
        }
        for (field, value) in stated {
            // TLP 1.0's WHITE is the same level as CLEAR.
            let normalised = value == "white" ? TLPLevel.clear : TLPLevel(rawValue: value)
            guard normalised == level else {
                return "\(id) is \(level.label), but its \(field) says '\(value)'"
            }
        }
        return nil
    }
}
