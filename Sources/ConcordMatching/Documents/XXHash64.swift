/// xxHash64 with seed 0, fed in pieces of any size: the checksum of index snapshots.
///
/// Chosen over a cryptographic hash because it runs at memory speed, so checking a snapshot of
/// a few gigabytes adds well under a second to a restart. It catches truncation and accidental
/// corruption; it is no defence against a deliberate change, which needs write access to the
/// node's data folder anyway.
struct XXHash64 {
    private static let prime1: UInt64 = 0x9e37_79b1_85eb_ca87
    private static let prime2: UInt64 = 0xc2b2_ae3d_27d4_eb4f
    private static let prime3: UInt64 = 0x1656_67b1_9e37_79f9
    private static let prime4: UInt64 = 0x85eb_ca77_c2b2_ae63
    private static let prime5: UInt64 = 0x27d4_eb2f_1656_67c5

    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
        XXHash64.prime1 &+ XXHash64.prime2, XXHash64.prime2, 0, 0 &- XXHash64.prime1
    )
    private var total: UInt64 = 0
    /// Bytes of an unfinished 32-byte stripe.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0

    init() {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        total &+= UInt64(bytes.count)
        var offset = 0
        if pendingCount > 0 {
            let taken = min(32 - pendingCount, bytes.count)
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.advanced(by: pendingCount).copyMemory(from: base, byteCount: taken)
            }
            pendingCount += taken
            offset = taken
            guard pendingCount == 32 else { return }
            let stripe = pending
            withUnsafeBytes(of: stripe) { consume($0.baseAddress!) }
            pendingCount = 0
        }
        var (v1, v2, v3, v4) = lanes
        while offset + 32 <= bytes.count {
            let stripe = base + offset
            v1 = Self.round(v1, Self.word(stripe, 0))
            v2 = Self.round(v2, Self.word(stripe, 8))
            v3 = Self.round(v3, Self.word(stripe, 16))
            v4 = Self.round(v4, Self.word(stripe, 24))
            offset += 32
        }
        lanes = (v1, v2, v3, v4)
        if offset < bytes.count {
            let rest = bytes.count - offset
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.copyMemory(from: base + offset, byteCount: rest)
            }
            pendingCount = rest
        }
    }

    func finalize() -> UInt64 {
        var hash: UInt64
        let (v1, v2, v3, v4) = lanes
        if total >= 32 {
            hash = v1.rotated(1) &+ v2.rotated(7) &+ v3.rotated(12) &+ v4.rotated(18)
            hash = Self.merge(hash, v1)
            hash = Self.merge(hash, v2)
            hash = Self.merge(hash, v3)
            hash = Self.merge(hash, v4)
        } else {
            hash = Self.prime5
        }
        hash &+= total
        withUnsafeBytes(of: pending) { stripe in
            let base = stripe.baseAddress!
            var offset = 0
            while offset + 8 <= pendingCount {
                hash ^= Self.round(0, Self.word(base, offset))
                hash = hash.rotated(27) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= pendingCount {
                let word = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                hash ^= UInt64(word) &* Self.prime1
                hash = hash.rotated(23) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < pendingCount {
                hash ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* Self.prime5
                hash = hash.rotated(11) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        return hash
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = XXHash64()
        hasher.update(bytes)
        return hasher.finalize()
    }

    private mutating func consume(_ stripe: UnsafeRawPointer) {
        lanes.0 = Self.round(lanes.0, Self.word(stripe, 0))
        lanes.1 = Self.round(lanes.1, Self.word(stripe, 8))
        lanes.2 = Self.round(lanes.2, Self.word(stripe, 16))
        lanes.3 = Self.round(lanes.3, Self.word(stripe, 24))
    }

    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        (lane &+ input &* prime2).rotated(31) &* prime1
    }

    @inline(__always)
    private static func merge(_ hash: UInt64, _ lane: UInt64) -> UInt64 {
        (hash ^ round(0, lane)) &* prime1 &+ prime4
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(_ count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}
