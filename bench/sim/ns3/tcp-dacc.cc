// SPDX-License-Identifier: GPL-2.0
/*
 * dacc's ns-3 glue: the kernel's kmod/cong.c, function by function, over
 * ns-3 3.37's TcpSocketState and TcpRateOps instead of struct tcp_sock and
 * struct rate_sample.  The model itself is kmod/dacc_model.h, unchanged.
 *
 * Units.  ns-3 counts bytes where Linux counts packets (delivered, losses,
 * in flight, cwnd): divided by the segment size here.  Times are the
 * simulator clock in us, truncated to u32 as tp->tcp_mstamp is.
 *
 * Where ns-3 gives less than the kernel, and what stands in (README.md has
 * the whole list):
 *  - RTT sample (ack_sample.rtt_us).  PktsAcked()'s rtt is m_tcb->m_lastRtt,
 *    the RttEstimator's smoothed estimate, not the sample, and with TCP
 *    timestamps it is measured from the TS echo on a 1 ms clock; it is also
 *    passed for ACKs that took no sample.  The sample is taken instead from
 *    the rate connection, at microsecond (ns) resolution: now minus the
 *    send time of the packet this ACK delivered last (rc.m_firstSentTime,
 *    set by TcpRateLinux::SkbDelivered), when the ACK delivered something.
 *  - The handshake RTT for dacc_init (tp->srtt_us): the time from Init()
 *    (socket created, SYN sent at once by BulkSendApplication) to the
 *    connection's CA_OPEN, since ns-3's own estimate is the ms-granular one.
 *  - tcp_is_cwnd_limited(): from the bytes in flight before the ACK.
 *  - rs->delivered_ce (the ECN response): counted here (DeliveredCe()).
 *  - No undo_cwnd hook in ns-3 3.37: dacc_model_undo() is never called.
 */
#include "tcp-dacc.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TcpDacc");
NS_OBJECT_ENSURE_REGISTERED(TcpDacc);

/* Karn's rule for the RTT sample.  Linux takes no RTT sample from a
 * retransmitted skb (tcp_clean_rtx_queue(), tcp_sacktag_one(): TCPCB_RETRANS),
 * but TcpRateLinux::SkbDelivered() sets rc.m_firstSentTime to the last send
 * of whatever it delivers, a retransmission's too: a spurious one (RFC 6675
 * rule 3 when the send buffer is full behind a lost retransmission, or the
 * go-back-N after an RTO) is SACKed by its original microseconds later, and
 * that would be the sample (12 us at 1 Gbit/s, 1 ms).  So the send times of
 * retransmissions are kept, per TcpDacc, from the socket's NextTxSequence
 * (a segment sent below the highest ever sent), and a sample whose
 * rc.m_firstSentTime is one of them is not taken.  Kept here, keyed by the
 * TcpDacc (never dereferenced), since TcpSocketState has no room for it.
 */
namespace
{
struct DaccRetx
{
    SequenceNumber32 maxSent{0};
    bool any{false};
    std::deque<Time> sent; // send times of retransmissions, ascending
};

std::unordered_map<const void*, DaccRetx> g_daccRetx;

void
DaccNextTx(const void* key, SequenceNumber32 oldVal, SequenceNumber32 newVal)
{
    auto it = g_daccRetx.find(key);
    if (it == g_daccRetx.end() || newVal <= oldVal)
    {
        return; // not ours, or a rewind (RTO, recovery): nothing sent
    }
    DaccRetx& r = it->second;
    if (r.any && newVal <= r.maxSent)
    {
        if (r.sent.empty() || r.sent.back() != Simulator::Now())
        {
            r.sent.push_back(Simulator::Now());
        }
        return;
    }
    r.maxSent = newVal;
    r.any = true;
}
} // namespace

TypeId
TcpDacc::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TcpDacc")
            .SetParent<TcpCongestionOps>()
            .SetGroupName("Internet")
            .AddConstructor<TcpDacc>()
            .AddAttribute("AlphaPkts",
                          "Backlog per flow without a bandwidth hint (packets): alpha_pkts",
                          UintegerValue(8),
                          MakeUintegerAccessor(&TcpDacc::m_alphaPkts),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("QtargetUs",
                          "Backlog per flow with a hint, as queueing time (us): qtarget_us",
                          UintegerValue(150),
                          MakeUintegerAccessor(&TcpDacc::m_qtargetUs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ProfRttUs",
                          "Profile base RTT (us), 0: no profile",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TcpDacc::m_profRttUs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("HintBps",
                          "Profile bottleneck bandwidth (bit/s), 0: none",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TcpDacc::m_hintBps),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("LossPpm",
                          "Profile random-loss baseline (ppm)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TcpDacc::m_lossPpm),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Timestamps",
                          "ACKs carry the peer's TCP timestamp (keep equal to "
                          "ns3::TcpSocketBase::Timestamp)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&TcpDacc::m_timestamps),
                          MakeBooleanChecker());
    return tid;
}

TcpDacc::TcpDacc()
    : TcpCongestionOps(),
      m_alphaPkts(8),
      m_qtargetUs(150),
      m_profRttUs(0),
      m_hintBps(0),
      m_lossPpm(0),
      m_timestamps(true),
      m_users(),
      m_attached(false),
      m_model(),
      m_initialized(false),
      m_appLimited(true),
      m_delivered(0),
      m_srttUs(0),
      m_mdevUs(0),
      m_deliveredPkts(0),
      m_deliveredCe(0),
      m_createdAt(Simulator::Now())
{
    NS_LOG_FUNCTION(this);
}

TcpDacc::TcpDacc(const TcpDacc& sock)
    : TcpCongestionOps(sock),
      m_alphaPkts(sock.m_alphaPkts),
      m_qtargetUs(sock.m_qtargetUs),
      m_profRttUs(sock.m_profRttUs),
      m_hintBps(sock.m_hintBps),
      m_lossPpm(sock.m_lossPpm),
      m_timestamps(sock.m_timestamps),
      m_users(sock.m_users),
      m_attached(false),
      m_model(),
      m_initialized(false),
      m_appLimited(true),
      m_delivered(0),
      m_srttUs(0),
      m_mdevUs(0),
      m_deliveredPkts(0),
      m_deliveredCe(0),
      m_createdAt(Simulator::Now())
{
    NS_LOG_FUNCTION(this);
}

/* dacc_release(): the connection no longer holds its profile. */
TcpDacc::~TcpDacc()
{
    g_daccRetx.erase(this);
    if (m_attached && m_users && *m_users)
    {
        --*m_users;
    }
}

std::string
TcpDacc::GetName() const
{
    return "TcpDacc";
}

Ptr<TcpCongestionOps>
TcpDacc::Fork()
{
    return CopyObject<TcpDacc>(this);
}

void
TcpDacc::SetProfile(uint32_t baseRttUs,
                    uint64_t bwBps,
                    uint32_t lossPpm,
                    std::shared_ptr<uint32_t> users)
{
    m_profRttUs = baseRttUs;
    m_hintBps = bwBps;
    m_lossPpm = lossPpm;
    m_users = users;
}

void
TcpDacc::SetTimestamps(bool on)
{
    m_timestamps = on;
}

const struct dacc_model&
TcpDacc::Model() const
{
    return m_model;
}

bool
TcpDacc::IsInitialized() const
{
    return m_initialized;
}

/* dacc_now_us(): tp->tcp_mstamp, us, truncated. */
u32
TcpDacc::NowUs()
{
    return static_cast<u32>(Simulator::Now().GetMicroSeconds());
}

/* dacc_set_pacing_rate(): 0 means the stack's default; capped by the
 * socket's maximum (sk_max_pacing_rate: ns3::TcpSocketState::MaxPacingRate).
 */
void
TcpDacc::SetPacingRate(Ptr<TcpSocketState> tcb) const
{
    u64 rate = dacc_model_pacing_rate(&m_model); // bytes/s

    if (!rate)
    {
        return;
    }
    uint64_t bps = rate * 8;
    tcb->m_pacingRate = DataRate(std::min<uint64_t>(bps, tcb->m_maxPacingRate.GetBitRate()));
}

/* dacc_apply(). */
void
TcpDacc::Apply(Ptr<TcpSocketState> tcb) const
{
    uint32_t seg = tcb->m_segmentSize;
    uint32_t clamp = std::numeric_limits<uint32_t>::max() / seg;

    tcb->m_cWnd = std::min(dacc_model_cwnd(&m_model), clamp) * seg;
    SetPacingRate(tcb);
}

/* The socket is created (active open: the SYN leaves now; passive: the
 * SYN has arrived).  Linux runs dacc_init once the connection is
 * established; ns-3 calls Init() here, before the handshake, so the model
 * starts at CA_OPEN (ModelInit).  Pacing always on (SK_PACING_NEEDED), from
 * the first segment (Linux paces the initial window too).
 */
void
TcpDacc::Init(Ptr<TcpSocketState> tcb)
{
    NS_LOG_FUNCTION(this << tcb);
    m_createdAt = Simulator::Now();
    tcb->m_pacing = true;
    tcb->m_paceInitialWindow = true;
    if (g_daccRetx.emplace(this, DaccRetx()).second)
    {
        tcb->TraceConnectWithoutContext(
            "NextTxSequence",
            MakeBoundCallback(&DaccNextTx, static_cast<const void*>(this)));
    }
}

/* dacc_init(). */
void
TcpDacc::ModelInit(Ptr<TcpSocketState> tcb)
{
    struct dacc_model_cfg cfg = {};
    Time handshake = Simulator::Now() - m_createdAt;

    cfg.srtt_us = handshake.IsStrictlyPositive() ? static_cast<u32>(handshake.GetMicroSeconds()) : 0;
    cfg.mss = tcb->m_segmentSize;
    cfg.alpha_pkts = m_alphaPkts;
    cfg.qtarget_us = m_qtargetUs;
    if (m_profRttUs)
    {
        cfg.prof_rtt_us = m_profRttUs;
        cfg.hint_bytes_ps = m_hintBps >> 3;
        cfg.loss_ppm = m_lossPpm;
        /* dacc_profile_attach() counts this connection in; share is the
         * profile's connections now, this one included.
         */
        if (!m_users)
        {
            m_users = std::make_shared<uint32_t>(0);
        }
        if (!m_attached)
        {
            ++*m_users;
            m_attached = true;
        }
        cfg.share = *m_users;
    }
    m_delivered = 0;
    m_deliveredPkts = 0;
    m_deliveredCe = 0;
    m_ceHistory.assign(1, std::make_pair(uint64_t(0), uint64_t(0)));
    dacc_model_init(&m_model, &cfg, NowUs(), m_delivered);
    m_initialized = true;
    NS_LOG_INFO("dacc init: srtt " << cfg.srtt_us << " us, prof " << cfg.prof_rtt_us
                                   << " us, hint " << m_hintBps << " bit/s, w "
                                   << dacc_model_cwnd(&m_model) << " pkts, mode "
                                   << unsigned(m_model.mode));
    /* Established: the window now; before, only the pacing. */
    if (cfg.srtt_us)
    {
        uint32_t seg = tcb->m_segmentSize;
        uint32_t clamp = std::numeric_limits<uint32_t>::max() / seg;

        tcb->m_cWnd = std::min(dacc_model_cwnd(&m_model), clamp) * seg;
    }
    SetPacingRate(tcb);
    tcb->m_pacing = true;
}

/* ns-3 calls this per ACK in ProcessAck(), before CongControl(), as Linux
 * calls pkts_acked before cong_control; but its rtt argument is the
 * smoothed estimate (see the top of this file).  The sample is taken in
 * PktsAckedSample(), called first thing in CongControl(): same order.
 */
void
TcpDacc::PktsAcked(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked, const Time& rtt)
{
    NS_LOG_FUNCTION(this << tcb << segmentsAcked << rtt);
}

/* dacc_pkts_acked(): one RTT sample per ACK that delivered data (Linux:
 * rtt_us < 0 otherwise), with the ACK's reverse one-way delay from the
 * peer's TSval.  ns-3's TSval is the simulator clock in ms
 * (TcpOptionTS::NowToTsValue), as Linux's TCP_TS_HZ = 1000, with no offset
 * between the hosts (one clock).
 */
void
TcpDacc::PktsAckedSample(Ptr<TcpSocketState> tcb,
                         const TcpRateOps::TcpRateConnection& rc,
                         const TcpRateOps::TcpRateSample& rs)
{
    Time now = Simulator::Now();

    if (rs.m_ackedSacked == 0 || rc.m_deliveredTime != now)
    {
        return;
    }
    Time rtt = now - rc.m_firstSentTime;
    if (!rtt.IsStrictlyPositive())
    {
        return;
    }
    auto retx = g_daccRetx.find(this);
    if (retx != g_daccRetx.end())
    {
        /* rc.m_firstSentTime never decreases: older entries are done. */
        std::deque<Time>& sent = retx->second.sent;
        while (!sent.empty() && sent.front() < rc.m_firstSentTime)
        {
            sent.pop_front();
        }
        if (!sent.empty() && sent.front() == rc.m_firstSentTime)
        {
            return; // Karn: the packet was retransmitted
        }
    }
    u32 nowUs = NowUs();
    u32 rttUs = static_cast<u32>(std::min<int64_t>(rtt.GetMicroSeconds(), 0x7fffffff));
    rttUs = rttUs ? rttUs : 1;
    if (m_srttUs)
    {
        u32 err = rttUs > m_srttUs ? rttUs - m_srttUs : m_srttUs - rttUs;
        m_mdevUs = m_mdevUs - (m_mdevUs >> 2) + (err >> 2);
        m_srttUs = m_srttUs - (m_srttUs >> 3) + (rttUs >> 3);
    }
    else
    {
        m_srttUs = rttUs;
        m_mdevUs = rttUs >> 1;
    }
    dacc_model_rtt_sample(&m_model,
                          rttUs,
                          m_mdevUs,
                          nowUs,
                          m_timestamps,
                          nowUs - tcb->m_rcvTimestampValue * 1000U);
}

/* tcp_is_cwnd_limited(): in slow start (cwnd < ssthresh) the window is the
 * limit while more than half of it is used; after, while it is full.  ns-3
 * keeps no max_packets_out or is_cwnd_limited: the bytes in flight before
 * this ACK (TcpRateSample::m_priorInFlight) stand in for both.
 */
bool
TcpDacc::CwndLimited(Ptr<const TcpSocketState> tcb, uint32_t priorInFlight) const
{
    uint32_t cwnd = tcb->m_cWnd.Get();

    if (cwnd < tcb->m_ssThresh.Get())
    {
        return cwnd < 2 * static_cast<uint64_t>(priorInFlight);
    }
    return static_cast<uint64_t>(priorInFlight) + tcb->m_segmentSize > cwnd;
}

/* rs->delivered_ce.  Linux counts the packets each ACK with ECE delivers
 * (tcp_count_delivered()) and stamps every packet sent with the count, as
 * with delivered.  ns-3 does neither: this ACK carried ECE when ReceivedAck()
 * left the state at ECN_ECE_RCVD (it resets it to ECN_IDLE on an ACK without
 * ECE); the count at the sample's start is the one after the last ACK that
 * had delivered no more than the sample's prior_delivered, when that packet
 * was sent.
 */
u32
TcpDacc::DeliveredCe(Ptr<const TcpSocketState> tcb, uint64_t delivered, uint64_t prior)
{
    if (delivered > m_deliveredPkts)
    {
        if (tcb->m_ecnState.Get() == TcpSocketState::ECN_ECE_RCVD)
        {
            m_deliveredCe += delivered - m_deliveredPkts;
        }
        m_deliveredPkts = delivered;
        m_ceHistory.emplace_back(m_deliveredPkts, m_deliveredCe);
        if (m_ceHistory.size() > (1U << 20))
        {
            m_ceHistory.pop_front(); // no valid sample for a million ACKs
        }
    }
    while (m_ceHistory.size() > 1 && m_ceHistory[1].first <= prior)
    {
        m_ceHistory.pop_front();
    }
    return static_cast<u32>(m_deliveredCe - m_ceHistory.front().second);
}

/* dacc_cong_control(). */
void
TcpDacc::CongControl(Ptr<TcpSocketState> tcb,
                     const TcpRateOps::TcpRateConnection& rc,
                     const TcpRateOps::TcpRateSample& rs)
{
    NS_LOG_FUNCTION(this << tcb);
    uint32_t seg = tcb->m_segmentSize;

    if (!m_initialized || !seg)
    {
        return;
    }
    /* Linux's tcp_ack() leaves before cong_control when nothing was
     * outstanding (no_queue); ns-3 calls CongControl for every ACK, the
     * receiver's too.
     */
    if (rs.m_priorInFlight == 0 && rs.m_ackedSacked == 0 && rs.m_bytesLoss == 0)
    {
        return;
    }
    PktsAckedSample(tcb, rc, rs);

    /* TcpRateSample::m_priorDelivered is a u32 of bytes (it wraps at 4 GiB),
     * rc.m_delivered a u64: the sample's start, in the connection's count.
     */
    uint64_t delivered = rc.m_delivered;
    uint64_t prior =
        delivered - static_cast<uint32_t>(static_cast<uint32_t>(delivered) - rs.m_priorDelivered);
    struct dacc_ack a = {};

    a.now_us = NowUs();
    a.delivered = static_cast<u32>(delivered / seg);
    a.prior_delivered = static_cast<u32>(prior / seg);
    a.losses = (rs.m_bytesLoss + seg - 1) / seg;
    a.inflight = tcb->m_bytesInFlight.Get() / seg;
    a.mss = seg;
    a.srtt_us = static_cast<u32>(tcb->m_lastRtt.Get().GetMicroSeconds());
    a.mdev_us = m_mdevUs;
    a.cwnd_limited = CwndLimited(tcb, rs.m_priorInFlight);
    u32 ce = DeliveredCe(tcb, delivered / seg, prior / seg);
    a.ecn_delivered = rs.m_delivered > 0 ? static_cast<u32>(rs.m_delivered / seg) : 0;
    a.ecn_ce = rs.m_delivered > 0 ? ce : 0;
    a.share = m_attached && m_users ? *m_users : 0;

    if (rs.m_delivered < 0 || !rs.m_interval.IsStrictlyPositive())
    {
        /* No valid sample (e.g. a pure loss marking): losses only. */
        a.prior_delivered = m_model.round_start_delivered - 1;
    }
    m_delivered = a.delivered;
    m_appLimited = rc.m_appLimited != 0;
    dacc_model_on_ack(&m_model, &a);
    Apply(tcb);
}

/* dacc_ssthresh(): ns-3 calls it on entering Recovery, CWR (ECN) and at
 * an RTO, as Linux does; the window is then ours again (no PRR with
 * CongControl, as none with cong_control).
 */
uint32_t
TcpDacc::GetSsThresh(Ptr<const TcpSocketState> tcb, uint32_t bytesInFlight)
{
    NS_LOG_FUNCTION(this << tcb << bytesInFlight);
    if (!m_initialized)
    {
        return std::max(2 * tcb->m_segmentSize, bytesInFlight / 2);
    }
    uint32_t seg = tcb->m_segmentSize;
    uint32_t clamp = std::numeric_limits<uint32_t>::max() / seg;

    return std::min(std::max(dacc_model_on_loss(&m_model), 2U), clamp) * seg;
}

/* cong_avoid: none, dacc has cong_control.  ns-3 still calls this in Open
 * and Loss (TcpSocketBase::ProcessAck): nothing to do.
 */
void
TcpDacc::IncreaseWindow(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked)
{
    NS_LOG_FUNCTION(this << tcb << segmentsAcked);
}

/* dacc_set_state(), and dacc_init at the connection's start. */
void
TcpDacc::CongestionStateSet(Ptr<TcpSocketState> tcb,
                            const TcpSocketState::TcpCongState_t newState)
{
    NS_LOG_FUNCTION(this << tcb << newState);
    if (newState == TcpSocketState::CA_OPEN && !m_initialized)
    {
        ModelInit(tcb);
        return;
    }
    if (newState == TcpSocketState::CA_LOSS && m_initialized)
    {
        dacc_model_on_rto(&m_model, tcb->m_segmentSize,
                          tcb->m_congState.Get() < TcpSocketState::CA_RECOVERY);
    }
}

/* dacc_cwnd_event().  ns-3 raises CA_EVENT_TX_START whenever it sends with
 * nothing in flight (also after an RTO, when all is marked lost); as in
 * cong.c, only an app-limited flow restarts.
 */
void
TcpDacc::CwndEvent(Ptr<TcpSocketState> tcb, const TcpSocketState::TcpCAEvent_t event)
{
    NS_LOG_FUNCTION(this << tcb << event);
    if (event != TcpSocketState::CA_EVENT_TX_START || !m_appLimited || !m_initialized)
    {
        return;
    }
    dacc_model_idle_restart(&m_model, NowUs(), m_delivered,
                            m_attached && m_users ? *m_users : 0);
    SetPacingRate(tcb);
}

bool
TcpDacc::HasCongControl() const
{
    return true;
}

} // namespace ns3
