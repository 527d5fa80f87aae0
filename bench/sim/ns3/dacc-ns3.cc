// SPDX-License-Identifier: GPL-2.0
/*
 * dacc-ns3: dacc beside ns-3's own TCPs on a dumbbell, one scenario per
 * run, results as JSON on stdout (the keys of the project's simulator, so
 * the report reads both engines alike).  See README.md.
 *
 *   sender i --access i (delay = rtt_i / 2)-- R1 ==bottleneck== R2 -- receiver i
 *
 * Each flow has its own sender and receiver node (so its own congestion
 * control: the node's TcpL4Protocol::SocketType) and its own access links,
 * whose propagation delay makes its RTT; the bottleneck and the receivers'
 * links have none.  Access links are faster than the bottleneck (10 x by
 * default) with large FIFO queue discs: the bottleneck is R1's queue disc, a
 * drop-tail FIFO of --bufferBytes, or with --ecnKBytes a RED disc used as a
 * step marker (MinTh = MaxTh = K bytes, instantaneous queue).  Random loss
 * is a per-packet RateErrorModel on R2's side of the bottleneck.
 */
#include "tcp-dacc.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace
{

struct FlowSpec
{
    std::string cc;
    uint32_t rttUs;
    double startS;
};

/* ---- bottleneck statistics, after the warm-up ---- */

constexpr unsigned QBINS = 1024;

struct LinkStats
{
    Time warm;
    uint64_t bytesOut = 0;   // bytes the bottleneck link carried (PPP frames)
    uint64_t pktsIn = 0;     // packets that arrived at its queue disc
    uint64_t queueDrops = 0; // dropped by the queue disc (overflow, AQM)
    uint64_t randDrops = 0;  // dropped by the error model
    uint64_t marks = 0;      // CE marks
    uint64_t qn = 0;         // sojourn samples
    uint64_t qhist[QBINS] = {};
    double qSumNs = 0;
    uint64_t qMaxNs = 0;
};

LinkStats g_link;

bool
Warm()
{
    return Simulator::Now() >= g_link.warm;
}

/* Log-linear bins of ns, 16 per octave: the project simulator's. */
unsigned
QBin(uint64_t ns)
{
    if (ns < 16)
    {
        return static_cast<unsigned>(ns);
    }
    unsigned e = 63 - static_cast<unsigned>(__builtin_clzll(ns));
    unsigned b = (e - 3) * 16 + static_cast<unsigned>((ns >> (e - 4)) & 15);
    return b < QBINS ? b : QBINS - 1;
}

double
QBinNs(unsigned b)
{
    if (b < 16)
    {
        return b;
    }
    unsigned e = b / 16 + 3;
    return static_cast<double>((16ULL + b % 16) << (e - 4));
}

double
QQuantileUs(double q)
{
    if (!g_link.qn)
    {
        return 0;
    }
    uint64_t want = static_cast<uint64_t>(std::ceil(q * static_cast<double>(g_link.qn)));
    uint64_t acc = 0;
    if (!want)
    {
        want = 1;
    }
    for (unsigned i = 0; i < QBINS; i++)
    {
        acc += g_link.qhist[i];
        if (acc >= want)
        {
            return QBinNs(i) / 1000;
        }
    }
    return static_cast<double>(g_link.qMaxNs) / 1000;
}

void
OnEnqueue(Ptr<const QueueDiscItem>)
{
    if (Warm())
    {
        g_link.pktsIn++;
    }
}

void
OnDropBeforeEnqueue(Ptr<const QueueDiscItem>, const char*)
{
    if (Warm())
    {
        g_link.pktsIn++;
        g_link.queueDrops++;
    }
}

void
OnDropAfterDequeue(Ptr<const QueueDiscItem>, const char*)
{
    if (Warm())
    {
        g_link.queueDrops++;
    }
}

void
OnMark(Ptr<const QueueDiscItem>, const char*)
{
    if (Warm())
    {
        g_link.marks++;
    }
}

void
OnSojourn(Time t)
{
    if (!Warm())
    {
        return;
    }
    uint64_t ns = t.IsStrictlyPositive() ? static_cast<uint64_t>(t.GetNanoSeconds()) : 0;
    g_link.qn++;
    g_link.qhist[QBin(ns)]++;
    g_link.qSumNs += static_cast<double>(ns);
    if (ns > g_link.qMaxNs)
    {
        g_link.qMaxNs = ns;
    }
}

void
OnBottleneckTx(Ptr<const Packet> p)
{
    if (Warm())
    {
        g_link.bytesOut += p->GetSize();
    }
}

void
OnRandomDrop(Ptr<const Packet>)
{
    if (Warm())
    {
        g_link.randDrops++;
    }
}

/* ---- flows ---- */

std::string
Ns3TypeName(const std::string& cc)
{
    if (cc == "dacc")
    {
        return "ns3::TcpDacc";
    }
    if (cc == "cubic")
    {
        return "ns3::TcpCubic";
    }
    if (cc == "bbr")
    {
        return "ns3::TcpBbr";
    }
    if (cc == "dctcp")
    {
        return "ns3::TcpDctcp";
    }
    if (cc == "vegas")
    {
        return "ns3::TcpVegas";
    }
    if (cc == "newreno" || cc == "reno")
    {
        return "ns3::TcpNewReno";
    }
    return "";
}

bool
ParseFlows(const std::string& s, std::vector<FlowSpec>& out)
{
    std::stringstream ss(s);
    std::string item;

    while (std::getline(ss, item, ','))
    {
        if (item.empty())
        {
            continue;
        }
        FlowSpec f;
        size_t a = item.find(':');
        size_t b = a == std::string::npos ? a : item.find(':', a + 1);
        if (a == std::string::npos)
        {
            return false;
        }
        f.cc = item.substr(0, a);
        try
        {
            f.rttUs = static_cast<uint32_t>(std::stoul(item.substr(a + 1, b - a - 1)));
            f.startS = b == std::string::npos ? 0.0 : std::stod(item.substr(b + 1));
        }
        catch (...)
        {
            return false;
        }
        if (Ns3TypeName(f.cc).empty() || f.startS < 0)
        {
            return false;
        }
        out.push_back(f);
    }
    return !out.empty();
}

bool
ParseOnOff(const std::string& s, bool& v)
{
    if (s == "on" || s == "true" || s == "1" || s == "yes")
    {
        v = true;
        return true;
    }
    if (s == "off" || s == "false" || s == "0" || s == "no")
    {
        v = false;
        return true;
    }
    return false;
}

/* What the run keeps of each flow once its socket exists. */
struct FlowRun
{
    Ptr<BulkSendApplication> app;
    Ptr<TcpDacc> dacc;  // dacc flows: the congestion ops
    uint32_t cwnd = 0;  // --traceUs: the socket's last cwnd, bytes
    uint32_t inflight = 0;
};

std::vector<FlowRun> g_run;

void
OnCwnd(size_t i, uint32_t, uint32_t v)
{
    g_run[i].cwnd = v;
}

void
OnInflight(size_t i, uint32_t, uint32_t v)
{
    g_run[i].inflight = v;
}

struct DaccProfile
{
    bool dacc;
    uint32_t profRttUs;
    uint64_t hintBps;
    uint32_t lossPpm;
    bool timestamps;
    std::shared_ptr<uint32_t> users; // the profile's live connections
};

/* Once the flow's socket exists (BulkSendApplication creates it when it
 * starts) and before its handshake ends (dacc_init): a dacc flow's profile,
 * and with --traceUs the socket's traces.
 */
void
ConfigureFlow(size_t i, DaccProfile p, bool trace)
{
    Ptr<Socket> s = g_run[i].app->GetSocket();
    if (!s)
    {
        Simulator::Schedule(NanoSeconds(1), &ConfigureFlow, i, p, trace);
        return;
    }
    if (trace)
    {
        s->TraceConnectWithoutContext("CongestionWindow", MakeBoundCallback(&OnCwnd, i));
        s->TraceConnectWithoutContext("BytesInFlight", MakeBoundCallback(&OnInflight, i));
    }
    if (!p.dacc)
    {
        return;
    }
    PointerValue pv;
    s->GetAttribute("CongestionOps", pv);
    Ptr<TcpDacc> d = DynamicCast<TcpDacc>(pv.Get<TcpCongestionOps>());
    NS_ABORT_MSG_IF(!d, "dacc flow without TcpDacc");
    NS_ABORT_MSG_IF(d->IsInitialized(), "dacc profile set too late");
    d->SetProfile(p.profRttUs, p.hintBps, p.lossPpm, p.users);
    d->SetTimestamps(p.timestamps);
    g_run[i].dacc = d;
}

/* --traceUs: each flow's window, and the dacc flows' model, with the
 * bottleneck's backlog, on stderr.
 */
void
Trace(Ptr<QueueDisc> qd, Time every, uint32_t mss)
{
    for (size_t i = 0; i < g_run.size(); i++)
    {
        std::fprintf(stderr,
                     "t=%.6f f%zu cwnd=%u inflight=%u q_bytes=%u",
                     Simulator::Now().GetSeconds(),
                     i,
                     g_run[i].cwnd / mss,
                     g_run[i].inflight / mss,
                     qd->GetNBytes());
        if (g_run[i].dacc)
        {
            const struct dacc_model& m = g_run[i].dacc->Model();
            u32 base = g_run[i].dacc->IsInitialized() ? dacc_model_base(&m) : ~0U;
            std::fprintf(stderr,
                         " mode=%u w=%u pace_bps=%llu bw_bps=%llu base_us=%d min_rtt_us=%d"
                         " blk_us=%u alpha=%u ce_alpha=%.3f",
                         unsigned(m.mode),
                         m.w >> DACC_W_SHIFT,
                         static_cast<unsigned long long>(dacc_model_pacing_rate(&m) * 8),
                         static_cast<unsigned long long>(dacc_model_bw(&m) * 8),
                         base == ~0U ? -1 : int(base),
                         m.min_rtt_us == ~0U ? -1 : int(m.min_rtt_us),
                         m.blk_last_us,
                         unsigned(m.alpha_w >> DACC_W_SHIFT),
                         double(m.ce_alpha) / DACC_ECN_ONE);
        }
        std::fputc('\n', stderr);
    }
    Simulator::Schedule(every, &Trace, qd, every, mss);
}

void
SnapshotRx(const std::vector<Ptr<PacketSink>>* sinks, std::vector<uint64_t>* at)
{
    for (size_t i = 0; i < sinks->size(); i++)
    {
        (*at)[i] = (*sinks)[i]->GetTotalRx();
    }
}

/* ---- JSON ---- */

std::string
Num(double v)
{
    char buf[64];
    if (!std::isfinite(v))
    {
        return "null";
    }
    if (v == std::floor(v) && std::fabs(v) < 9e15)
    {
        std::snprintf(buf, sizeof(buf), "%.0f", v);
    }
    else
    {
        std::snprintf(buf, sizeof(buf), "%.12g", v);
    }
    return buf;
}

std::string
Str(const std::string& s)
{
    std::string o = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            o += '\\';
            o += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            o += buf;
        }
        else
        {
            o += c;
        }
    }
    return o + "\"";
}

} // namespace

int
main(int argc, char* argv[])
{
    auto wallStart = std::chrono::steady_clock::now();

    std::string rateStr = "1Gbps";
    std::string accessRateStr = "";
    uint64_t bufferBytes = 0;
    uint64_t ecnKBytes = 0;
    double lossRate = 0;
    uint32_t mtu = 1500;
    double duration = 10;
    double warmup = 0;
    uint32_t seed = 1;
    std::string flowsStr = "dacc:10000:0";
    int64_t profRttUs = 0;
    double hintBps = 0;
    uint32_t lossPpm = 0;
    std::string tsStr = "on";
    uint32_t alphaPkts = 8;
    uint32_t qtargetUs = 150;
    double minRtoMs = 200;
    uint32_t delAckCount = 2;
    double delAckMs = 40;
    double traceUs = 0;
    uint32_t sendSize = 0;

    CommandLine cmd(__FILE__);
    cmd.Usage("dacc beside ns-3's TCPs on a dumbbell; prints JSON (see README.md).");
    cmd.AddValue("rate", "bottleneck rate (ns-3 DataRate, e.g. 1Gbps)", rateStr);
    cmd.AddValue("accessRate", "access link rate (default 10 x the bottleneck's)", accessRateStr);
    cmd.AddValue("bufferBytes", "bottleneck buffer, bytes (0: one BDP at the longest RTT)",
                 bufferBytes);
    cmd.AddValue("ecnKBytes",
                 "ECN step-marking threshold K, bytes of queue (0: no ECN, drop-tail)",
                 ecnKBytes);
    cmd.AddValue("lossRate", "random loss at the bottleneck, per packet (0..1)", lossRate);
    cmd.AddValue("mtu", "IP MTU, bytes (1500 or 9000)", mtu);
    cmd.AddValue("duration", "simulated time, s", duration);
    cmd.AddValue("warmup", "statistics only after this, s", warmup);
    cmd.AddValue("seed", "random seed (> 0)", seed);
    cmd.AddValue("flows", "cc:rtt_us:start_s,... cc in dacc cubic bbr dctcp vegas newreno",
                 flowsStr);
    cmd.AddValue("profRttUs",
                 "dacc profile base RTT, us (0: each flow's true RTT; <0: no profile)",
                 profRttUs);
    cmd.AddValue("hintBps", "dacc profile bandwidth hint, bit/s (0: none)", hintBps);
    cmd.AddValue("lossPpm", "dacc profile random-loss baseline, ppm", lossPpm);
    cmd.AddValue("timestamps", "TCP timestamps on/off (all sockets)", tsStr);
    cmd.AddValue("alphaPkts", "dacc alpha_pkts", alphaPkts);
    cmd.AddValue("qtargetUs", "dacc qtarget_us", qtargetUs);
    cmd.AddValue("minRtoMs", "TCP minimum RTO, ms (Linux: 200; ns-3's default: 1000)", minRtoMs);
    cmd.AddValue("delAckCount", "segments per delayed ACK", delAckCount);
    cmd.AddValue("delAckMs",
                 "delayed ACK timeout, ms (Linux's minimum ATO: 40; ns-3's default: 200)",
                 delAckMs);
    cmd.AddValue("sendSize", "bytes per BulkSendApplication write (0: one segment)", sendSize);
    cmd.AddValue("traceUs", "every this many us: each flow's cwnd, dacc's model, on stderr (0: off)",
                 traceUs);
    cmd.Parse(argc, argv);

    std::vector<FlowSpec> flows;
    bool timestamps = true;
    if (!ParseFlows(flowsStr, flows))
    {
        std::cerr << "dacc-ns3: bad --flows '" << flowsStr << "'" << std::endl;
        return 2;
    }
    if (!ParseOnOff(tsStr, timestamps))
    {
        std::cerr << "dacc-ns3: --timestamps takes on or off" << std::endl;
        return 2;
    }
    if (mtu < 576 || duration <= 0 || warmup < 0 || warmup >= duration || lossRate < 0 ||
        lossRate >= 1 || !seed)
    {
        std::cerr << "dacc-ns3: bad --mtu, --duration, --warmup, --lossRate or --seed" << std::endl;
        return 2;
    }
    DataRate rate(rateStr);
    DataRate accessRate = accessRateStr.empty() ? DataRate(rate.GetBitRate() * 10)
                                                : DataRate(accessRateStr);
    uint32_t maxRttUs = 0;
    for (const auto& f : flows)
    {
        maxRttUs = std::max(maxRttUs, f.rttUs);
    }
    if (!bufferBytes)
    {
        bufferBytes = rate.GetBitRate() / 8 * maxRttUs / 1000000;
        bufferBytes = std::max<uint64_t>(bufferBytes, 2 * mtu);
    }
    /* Segment payload: IP 20 + TCP 20 (+ 12 of timestamp option). */
    uint32_t mss = mtu - 40 - (timestamps ? 12 : 0);

    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(1);

    /* TCP, as Linux where ns-3 lets us (README.md lists what it does not). */
    uint64_t bdp = rate.GetBitRate() / 8 * maxRttUs / 1000000;
    uint64_t sockBuf = std::min<uint64_t>(std::max<uint64_t>(4 * (bdp + bufferBytes), 4 << 20),
                                          (1U << 30) - 1);
    /* The receive buffer only holds what arrived (out of order); a large one
     * keeps the advertised window from ever being what limits the sender
     * (ns-3 3.37 crashes when the data in flight reaches it exactly while
     * holes are outstanding: README.md, "Known ns-3 3.37 bugs").
     */
    uint64_t rcvBuf = (1ULL << 30) - 1;
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(mss));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(sockBuf));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(rcvBuf));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(delAckCount));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MicroSeconds(delAckMs * 1000)));
    /* The SYN's retransmission timeout: Linux's TCP_TIMEOUT_INIT, 1 s
     * (ns-3's default is 3 s).  A SYN is not ECT: a marking queue above K
     * drops it.
     */
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(timestamps));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(MicroSeconds(minRtoMs * 1000)));
    if (ecnKBytes)
    {
        Config::SetDefault("ns3::TcpSocketBase::UseEcn", EnumValue(TcpSocketState::On));
    }
    /* sk_max_pacing_rate is unlimited in Linux; ns-3's default caps at 4 Gb/s. */
    Config::SetDefault("ns3::TcpSocketState::MaxPacingRate",
                       DataRateValue(DataRate(std::max<uint64_t>(accessRate.GetBitRate(),
                                                                 rate.GetBitRate()) *
                                              4)));
    Config::SetDefault("ns3::TcpDacc::AlphaPkts", UintegerValue(alphaPkts));
    Config::SetDefault("ns3::TcpDacc::QtargetUs", UintegerValue(qtargetUs));
    Config::SetDefault("ns3::TcpDacc::Timestamps", BooleanValue(timestamps));

    /* ---- topology ---- */
    size_t n = flows.size();
    NodeContainer routers, senders, receivers;
    routers.Create(2);
    senders.Create(n);
    receivers.Create(n);
    InternetStackHelper stack;
    stack.InstallAll();

    PointToPointHelper bneck;
    bneck.SetDeviceAttribute("DataRate", DataRateValue(rate));
    bneck.SetDeviceAttribute("Mtu", UintegerValue(mtu));
    bneck.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
    /* One packet in the device: the queue is the queue disc's. */
    bneck.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("1p")));
    NetDeviceContainer bdev = bneck.Install(routers.Get(0), routers.Get(1));

    TrafficControlHelper bigFifo;
    bigFifo.SetRootQueueDisc("ns3::FifoQueueDisc",
                             "MaxSize",
                             QueueSizeValue(QueueSize("200000p")));
    TrafficControlHelper bottleneckQ;
    if (ecnKBytes)
    {
        bottleneckQ.SetRootQueueDisc("ns3::RedQueueDisc",
                                     "MaxSize",
                                     QueueSizeValue(QueueSize(QueueSizeUnit::BYTES, bufferBytes)),
                                     "MinTh",
                                     DoubleValue(static_cast<double>(ecnKBytes)),
                                     "MaxTh",
                                     DoubleValue(static_cast<double>(ecnKBytes)),
                                     "QW",
                                     DoubleValue(1.0),
                                     "UseEcn",
                                     BooleanValue(true),
                                     "UseHardDrop",
                                     BooleanValue(false),
                                     "Gentle",
                                     BooleanValue(false),
                                     "MeanPktSize",
                                     UintegerValue(mtu),
                                     "LinkBandwidth",
                                     DataRateValue(rate),
                                     "LinkDelay",
                                     TimeValue(MicroSeconds(1)));
    }
    else
    {
        bottleneckQ.SetRootQueueDisc(
            "ns3::FifoQueueDisc",
            "MaxSize",
            QueueSizeValue(QueueSize(QueueSizeUnit::BYTES, bufferBytes)));
    }
    QueueDiscContainer bq = bottleneckQ.Install(bdev.Get(0));
    bigFifo.Install(bdev.Get(1));
    Ptr<QueueDisc> qd = bq.Get(0);
    qd->TraceConnectWithoutContext("Enqueue", MakeCallback(&OnEnqueue));
    qd->TraceConnectWithoutContext("DropBeforeEnqueue", MakeCallback(&OnDropBeforeEnqueue));
    qd->TraceConnectWithoutContext("DropAfterDequeue", MakeCallback(&OnDropAfterDequeue));
    qd->TraceConnectWithoutContext("Mark", MakeCallback(&OnMark));
    qd->TraceConnectWithoutContext("SojournTime", MakeCallback(&OnSojourn));
    bdev.Get(0)->TraceConnectWithoutContext("PhyTxEnd", MakeCallback(&OnBottleneckTx));
    if (lossRate > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorUnit", EnumValue(RateErrorModel::ERROR_UNIT_PACKET));
        em->SetAttribute("ErrorRate", DoubleValue(lossRate));
        bdev.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        bdev.Get(1)->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&OnRandomDrop));
    }

    Ipv4AddressHelper addr;
    addr.SetBase("10.0.0.0", "255.255.255.252");
    addr.Assign(bdev);

    std::vector<Ipv4Address> rcvAddr(n);
    for (size_t i = 0; i < n; i++)
    {
        PointToPointHelper acc;
        acc.SetDeviceAttribute("DataRate", DataRateValue(accessRate));
        acc.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        acc.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", QueueSizeValue(QueueSize("1p")));
        acc.SetChannelAttribute("Delay", TimeValue(NanoSeconds(flows[i].rttUs * 1000ULL / 2)));
        NetDeviceContainer sdev = acc.Install(senders.Get(i), routers.Get(0));
        acc.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
        NetDeviceContainer rdev = acc.Install(routers.Get(1), receivers.Get(i));
        bigFifo.Install(sdev);
        bigFifo.Install(rdev);
        addr.NewNetwork();
        addr.Assign(sdev);
        addr.NewNetwork();
        rcvAddr[i] = addr.Assign(rdev).GetAddress(1);
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    /* ---- applications ---- */
    std::vector<Ptr<PacketSink>> sinks(n);
    g_run.resize(n);
    /* One profile per (base RTT, hint, loss): the dacc flows with the same
     * one share it, as the flows to one destination of a host do; the model
     * counts its live connections (cfg.share).
     */
    std::map<std::tuple<uint32_t, uint64_t, uint32_t>, std::shared_ptr<uint32_t>> profiles;
    std::vector<uint64_t> rxAtWarm(n, 0);
    uint16_t port = 5000;
    for (size_t i = 0; i < n; i++)
    {
        TypeId cc = TypeId::LookupByName(Ns3TypeName(flows[i].cc));
        senders.Get(i)->GetObject<TcpL4Protocol>()->SetAttribute("SocketType", TypeIdValue(cc));
        receivers.Get(i)->GetObject<TcpL4Protocol>()->SetAttribute("SocketType",
                                                                    TypeIdValue(cc));

        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sa = sinkHelper.Install(receivers.Get(i));
        sa.Start(Seconds(0));
        sa.Stop(Seconds(duration));
        sinks[i] = DynamicCast<PacketSink>(sa.Get(0));

        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(rcvAddr[i], port));
        bulk.SetAttribute("MaxBytes", UintegerValue(0));
        bulk.SetAttribute("SendSize", UintegerValue(sendSize ? sendSize : mss));
        ApplicationContainer ba = bulk.Install(senders.Get(i));
        ba.Start(Seconds(flows[i].startS));
        ba.Stop(Seconds(duration));
        DaccProfile p = {};
        p.dacc = flows[i].cc == "dacc";
        p.profRttUs = profRttUs < 0    ? 0
                      : profRttUs == 0 ? flows[i].rttUs
                                       : static_cast<uint32_t>(profRttUs);
        p.hintBps = static_cast<uint64_t>(hintBps);
        p.lossPpm = lossPpm;
        p.timestamps = timestamps;
        if (p.dacc && p.profRttUs)
        {
            auto key = std::make_tuple(p.profRttUs, p.hintBps, p.lossPpm);
            if (!profiles[key])
            {
                profiles[key] = std::make_shared<uint32_t>(0);
            }
            p.users = profiles[key];
        }
        g_run[i].app = DynamicCast<BulkSendApplication>(ba.Get(0));
        Simulator::Schedule(Seconds(flows[i].startS) + NanoSeconds(1),
                            &ConfigureFlow,
                            i,
                            p,
                            traceUs > 0);
    }

    g_link.warm = Seconds(warmup);
    Simulator::Schedule(Seconds(warmup), &SnapshotRx, &sinks, &rxAtWarm);
    if (traceUs > 0)
    {
        Simulator::Schedule(MicroSeconds(traceUs), &Trace, qd, MicroSeconds(traceUs), mss);
    }
    Simulator::Stop(Seconds(duration));
    Simulator::Run();

    /* ---- results ---- */
    double measured = duration - warmup;
    std::vector<double> rates(n);
    std::vector<uint64_t> bytes(n);
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
    {
        bytes[i] = sinks[i]->GetTotalRx() - rxAtWarm[i];
        rates[i] = static_cast<double>(bytes[i]) * 8 / measured;
        sum += rates[i];
        sq += rates[i] * rates[i];
    }
    Simulator::Destroy();

    double jain = sq > 0 ? sum * sum / (static_cast<double>(n) * sq) : 0;
    double util =
        static_cast<double>(g_link.bytesOut) * 8 / measured / static_cast<double>(rate.GetBitRate());
    /* As the project's simulator: drops by the queue (overflow, AQM) and
     * random drops apart; loss counts both.
     */
    uint64_t lost = g_link.queueDrops + g_link.randDrops;
    double loss = g_link.pktsIn ? static_cast<double>(lost) / static_cast<double>(g_link.pktsIn) : 0;
    double qp50 = QQuantileUs(0.5), qp99 = QQuantileUs(0.99);
    double qmean = g_link.qn ? g_link.qSumNs / static_cast<double>(g_link.qn) / 1000 : 0;
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

    std::ostringstream o;
    o << "{\"engine\":\"ns3\",\"duration_s\":" << Num(duration) << ",\"warmup_s\":" << Num(warmup)
      << ",\"mss\":" << mss << ",\"wall_s\":" << Num(wall) << ",\n \"links\":[{\"name\":\"bottleneck\""
      << ",\"rate_bps\":" << rate.GetBitRate() << ",\"buffer_bytes\":" << bufferBytes
      << ",\"ecn_k_bytes\":" << ecnKBytes << ",\"util\":" << Num(util) << ",\"loss\":" << Num(loss)
      << ",\"drops\":" << g_link.queueDrops << ",\"random_drops\":" << g_link.randDrops
      << ",\"marks\":" << g_link.marks << ",\"q_us\":{\"p50\":"
      << Num(qp50) << ",\"p99\":" << Num(qp99) << ",\"mean\":" << Num(qmean)
      << ",\"max\":" << Num(static_cast<double>(g_link.qMaxNs) / 1000) << "}}],\n \"flows\":[";
    for (size_t i = 0; i < n; i++)
    {
        o << (i ? ",\n  " : "\n  ") << "{\"name\":" << Str("f" + std::to_string(i))
          << ",\"cc\":" << Str(flows[i].cc) << ",\"rtt_us\":" << flows[i].rttUs
          << ",\"rate_bps\":" << Num(rates[i]) << ",\"bytes\":" << bytes[i] << "}";
    }
    o << "],\n \"summary\":{\"jain\":" << Num(jain) << ",\"util\":" << Num(util)
      << ",\"loss\":" << Num(loss) << ",\"q_p99_us\":" << Num(qp99) << "}}\n";
    std::cout << o.str();
    return 0;
}
