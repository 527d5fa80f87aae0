// SPDX-License-Identifier: GPL-2.0
/*
 * dacc in ns-3: a TcpCongestionOps that drives the unchanged integer model
 * of kmod/dacc_model.h, as kmod/cong.c does in the kernel.  One method per
 * function of cong.c:
 *
 *   cong.c                    here
 *   dacc_init                 CongestionStateSet(CA_OPEN), first time (Init()
 *                             only turns pacing on: ns-3 calls it when the
 *                             socket is created, before the handshake)
 *   dacc_pkts_acked           PktsAckedSample(), from CongControl() (see .cc)
 *   dacc_cong_control         CongControl()
 *   dacc_ssthresh             GetSsThresh()
 *   dacc_undo_cwnd            none: ns-3 3.37 has no undo_cwnd hook
 *   dacc_set_state            CongestionStateSet(CA_LOSS)
 *   dacc_cwnd_event           CwndEvent(CA_EVENT_TX_START)
 *   dacc_apply                Apply()
 *   dacc_set_pacing_rate      SetPacingRate()
 *   dacc_release, dacc_report, dacc_get_info: no profile telemetry here;
 *                             Model() exposes the state instead.
 *
 * The profile (what daccd or the operator would give the kernel for the
 * destination) is set per socket with SetProfile() or the attributes.
 */
#ifndef DACC_NS3_TCP_DACC_H
#define DACC_NS3_TCP_DACC_H

#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-rate-ops.h"
#include "ns3/tcp-socket-state.h"

#include <deque>
#include <memory>
#include <utility>

/* The model is C; as C++ it compiles unchanged with g++ (static inline
 * functions, no extern "C" needed).  Its one C idiom, the compound literal
 * in dacc_model_init() (`*m = (struct dacc_model){ 0 };`), is a GNU
 * extension in C++ and draws -Wpedantic and -Wmissing-field-initializers
 * (-Wextra) warnings: silenced here, for this header only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "dacc_model.h"
#pragma GCC diagnostic pop

namespace ns3
{

class TcpDacc : public TcpCongestionOps
{
  public:
    static TypeId GetTypeId();

    TcpDacc();
    TcpDacc(const TcpDacc& sock);
    ~TcpDacc() override;

    std::string GetName() const override;
    void Init(Ptr<TcpSocketState> tcb) override;
    uint32_t GetSsThresh(Ptr<const TcpSocketState> tcb, uint32_t bytesInFlight) override;
    void IncreaseWindow(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked) override;
    void PktsAcked(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked, const Time& rtt) override;
    void CongestionStateSet(Ptr<TcpSocketState> tcb,
                            const TcpSocketState::TcpCongState_t newState) override;
    void CwndEvent(Ptr<TcpSocketState> tcb, const TcpSocketState::TcpCAEvent_t event) override;
    bool HasCongControl() const override;
    void CongControl(Ptr<TcpSocketState> tcb,
                     const TcpRateOps::TcpRateConnection& rc,
                     const TcpRateOps::TcpRateSample& rs) override;
    Ptr<TcpCongestionOps> Fork() override;

    /* The destination's profile: base RTT (0: none), bottleneck bandwidth
     * (bit/s, 0: none), random-loss baseline, and the count of connections
     * holding it (the kernel's dacc_pstats_users(); shared by the sockets of
     * one profile, nullptr: this socket alone).  Takes effect at the
     * connection's start (dacc_init), so set it before the handshake ends.
     */
    void SetProfile(uint32_t baseRttUs,
                    uint64_t bwBps,
                    uint32_t lossPpm,
                    std::shared_ptr<uint32_t> users = nullptr);
    /* Whether the ACKs carry the peer's TCP timestamp (the socket's
     * ns3::TcpSocketBase::Timestamp): the reverse one-way delay sample.
     */
    void SetTimestamps(bool on);

    const struct dacc_model& Model() const;
    bool IsInitialized() const;

  private:
    void ModelInit(Ptr<TcpSocketState> tcb);
    void PktsAckedSample(Ptr<TcpSocketState> tcb,
                         const TcpRateOps::TcpRateConnection& rc,
                         const TcpRateOps::TcpRateSample& rs);
    void Apply(Ptr<TcpSocketState> tcb) const;
    void SetPacingRate(Ptr<TcpSocketState> tcb) const;
    static u32 NowUs();
    bool CwndLimited(Ptr<const TcpSocketState> tcb, uint32_t priorInFlight) const;
    u32 DeliveredCe(Ptr<const TcpSocketState> tcb, uint64_t delivered, uint64_t prior);

    /* Module parameters and profile (cong.c: alpha_pkts, qtarget_us,
     * struct dacc_path).
     */
    uint32_t m_alphaPkts;
    uint32_t m_qtargetUs;
    uint32_t m_profRttUs;
    uint64_t m_hintBps;
    uint32_t m_lossPpm;
    bool m_timestamps;
    std::shared_ptr<uint32_t> m_users; // the profile's live connections
    bool m_attached;                   // counted in *m_users (dacc_profile_attach)

    struct dacc_model m_model;
    bool m_initialized;   // dacc_init has run (the connection is established)
    bool m_appLimited;    // tp->app_limited: the last rate sample's, ~0U at start as in Linux
    u32 m_delivered;      // tp->delivered (packets) at the last ACK
    /* tp->srtt_us and tp->mdev_us of the model's samples (tcp_rtt_estimator's
     * gains, 1/8 and 1/4): ns-3's RttEstimator keeps its own, from other
     * samples, and TcpSocketState exposes neither.
     */
    u32 m_srttUs;
    u32 m_mdevUs;
    /* tp->delivered_ce, and the rate sample's prior_delivered_ce: ns-3
     * keeps neither, so the glue counts the deliveries of ECE ACKs and keeps
     * (delivered, delivered_ce) after each ACK, back to the oldest sample's
     * start.
     */
    uint64_t m_deliveredPkts;
    uint64_t m_deliveredCe;
    std::deque<std::pair<uint64_t, uint64_t>> m_ceHistory;
    Time m_createdAt;     // Init(): when the SYN (or SYN-ACK) left
};

} // namespace ns3

#endif /* DACC_NS3_TCP_DACC_H */
