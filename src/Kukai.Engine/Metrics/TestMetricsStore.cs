namespace Kukai.Engine.Metrics;

/// <summary>
/// The metrics of one test as reported by its drivers, interval by interval: exact merges per driver, per target
/// and per second. Thread-safe (one lock; reports arrive at most a few thousand a second).
/// </summary>
/// <remarks>
/// Totals are sums of intervals, so the per-second series always adds up to the final counts. Memory stays bounded
/// for long tests: per-second histograms across drivers are reduced to a <see cref="SecondSummary"/> once a second
/// is <see cref="SettleSeconds"/> behind the newest report (later stragglers still add their counts).
/// Deduplication of redelivered reports is the caller's job (it knows the transport's sequence numbers).
/// </remarks>
public sealed class TestMetricsStore
{
    /// <summary>How many seconds a second stays open for reports from slower drivers.</summary>
    public const int SettleSeconds = 5;

    private readonly Lock _sync = new();
    private readonly string[] _targets;
    private readonly TargetCounters _aggregate;
    private readonly TargetCounters[] _perTarget;
    private readonly Dictionary<string, TargetCounters> _perDriver = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriverProgress> _progress = new(StringComparer.Ordinal);
    private readonly List<TimeseriesRow> _timeseries = [];
    private readonly SortedDictionary<long, OpenSecond> _open = [];
    private readonly SortedDictionary<long, SecondSummary> _settled = [];
    private long _newestSecond = -1;

    public TestMetricsStore(IReadOnlyList<string> targetKeys)
    {
        _targets = [.. targetKeys];
        _perTarget = new TargetCounters[_targets.Length];
        for (var i = 0; i < _perTarget.Length; i++)
        {
            _perTarget[i] = new TargetCounters();
        }

        // One target (the usual case): its counters are the aggregate, merged once rather than twice.
        _aggregate = _perTarget.Length == 1 ? _perTarget[0] : new TargetCounters();
    }

    public IReadOnlyList<string> Targets => _targets;

    /// <summary>Adds one driver's interval. Intervals with more targets than the test has are rejected.</summary>
    public void Apply(string driverId, IntervalSnapshot interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        if (interval.Targets.Count != _targets.Length)
        {
            throw new ArgumentException($"interval has {interval.Targets.Count} targets, the test has {_targets.Length}", nameof(interval));
        }

        var total = interval.Total();
        lock (_sync)
        {
            for (var i = 0; i < _targets.Length; i++)
            {
                _perTarget[i].Add(interval.Targets[i]);
            }

            if (_perTarget.Length != 1)
            {
                _aggregate.Add(total);
            }

            if (!_perDriver.TryGetValue(driverId, out var driver))
            {
                _perDriver[driverId] = driver = new TargetCounters();
            }

            lock (driver)
            {
                driver.Add(total); // Stats reads each driver's counters under this lock alone
            }

            var p = _progress.GetValueOrDefault(driverId);
            _progress[driverId] = new DriverProgress(p.Sent + total.Sent, p.Completed + total.Count);
            _timeseries.Add(TimeseriesRow.From(driverId, interval, total));
            AddToSecond(interval, total);
        }
    }

    /// <summary>Makes sure a driver appears in per-driver results even if it reported nothing.</summary>
    public void AddDriver(string driverId)
    {
        lock (_sync)
        {
            if (!_perDriver.ContainsKey(driverId))
            {
                _perDriver[driverId] = new TargetCounters();
                _progress[driverId] = default;
            }
        }
    }

    /// <summary>One driver's progress (zero when it has not reported).</summary>
    public DriverProgress ProgressOf(string driverId)
    {
        lock (_sync)
        {
            return _progress.GetValueOrDefault(driverId);
        }
    }

    public IReadOnlyDictionary<string, DriverProgress> Progress()
    {
        lock (_sync)
        {
            return new Dictionary<string, DriverProgress>(_progress, StringComparer.Ordinal);
        }
    }

    /// <summary>Per-driver rows, ordered by second then driver id; from <paramref name="fromSecond"/> on when given.</summary>
    public IReadOnlyList<TimeseriesRow> Timeseries(long? fromSecond = null)
    {
        lock (_sync)
        {
            IEnumerable<TimeseriesRow> rows = _timeseries;
            if (fromSecond is { } from)
            {
                // Rows arrive in about second order (a report is at most SettleSeconds late), so the latest ones are
                // found from the end without looking at the whole test.
                var recent = new List<TimeseriesRow>();
                for (var i = _timeseries.Count - 1; i >= 0 && _timeseries[i].Second >= from - SettleSeconds; i--)
                {
                    if (_timeseries[i].Second >= from)
                    {
                        recent.Add(_timeseries[i]);
                    }
                }

                rows = recent;
            }

            return [.. rows.OrderBy(r => r.Second).ThenBy(r => r.DriverId, StringComparer.Ordinal)];
        }
    }

    /// <summary>Per-second rows across drivers, ordered by second; open seconds are summarised as they stand.</summary>
    public IReadOnlyList<SecondSummary> Seconds(long? fromSecond = null)
    {
        lock (_sync)
        {
            var rows = new List<SecondSummary>(_settled.Count + _open.Count);
            rows.AddRange(fromSecond is { } from ? _settled.Values.Where(r => r.Second >= from) : _settled.Values);
            foreach (var (second, open) in _open)
            {
                rows.Add(open.Summarise(second));
            }

            rows.Sort((a, b) => a.Second.CompareTo(b.Second));
            return rows;
        }
    }

    /// <summary>The aggregate counters (a copy).</summary>
    public TargetCounters AggregateCounters()
    {
        lock (_sync)
        {
            return _aggregate.Clone();
        }
    }

    /// <summary>Statistics now. <paramref name="elapsedSeconds"/> is the test's duration so far (for rps).</summary>
    public TestStats Stats(double elapsedSeconds, IReadOnlyList<double>? extraPercentiles = null)
    {
        var (aggregate, perTarget, perDriver) = Scopes(c => StatsSummary.From(c, elapsedSeconds, extraPercentiles));
        return new TestStats(aggregate, perDriver, perTarget);
    }

    /// <summary>Copies of every scope's latency and service-time histograms (for <c>histograms.json</c>).</summary>
    public TestHistograms Histograms()
    {
        var (aggregate, perTarget, perDriver) = Scopes(ScopeHistograms.Of);
        return new TestHistograms(aggregate, perDriver, perTarget);
    }

    // Every scope's counters read through `of`: the targets (in the plan's order) and the aggregate under the store's
    // lock, each driver under its own, not the store's: with thousands of drivers this takes a while, and reports keep
    // being applied meanwhile (a driver's figures may include a report the aggregate's do not).
    private (T Aggregate, Dictionary<string, T> PerTarget, SortedDictionary<string, T> PerDriver) Scopes<T>(Func<TargetCounters, T> of)
    {
        KeyValuePair<string, TargetCounters>[] drivers;
        T aggregate;
        var perTarget = new Dictionary<string, T>(_targets.Length, StringComparer.Ordinal);
        lock (_sync)
        {
            drivers = [.. _perDriver];
            for (var i = 0; i < _targets.Length; i++)
            {
                perTarget[_targets[i]] = of(_perTarget[i]);
            }

            aggregate = of(_aggregate);
        }

        var perDriver = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (id, c) in drivers)
        {
            lock (c)
            {
                perDriver[id] = of(c);
            }
        }

        return (aggregate, perTarget, perDriver);
    }

    private void AddToSecond(IntervalSnapshot interval, TargetCounters total)
    {
        var second = interval.Second;
        if (_settled.TryGetValue(second, out var settled))
        {
            // A straggler for a second already summarised: its counts still count; its percentiles cannot be merged.
            _settled[second] = settled with
            {
                Sent = settled.Sent + total.Sent,
                Completed = settled.Completed + total.Count,
                Errors = settled.Errors + total.Errors,
                Rps = settled.Rps + total.Count,
                MaxMs = Math.Max(settled.MaxMs, LatencySummary.Ms(total.Latency.Max)),
                Late = settled.Late + total.Late,
                LateConnectionsBusy = settled.LateConnectionsBusy + total.LateConnectionsBusy,
                Dropped = settled.Dropped + total.Dropped,
                SaturatedDrivers = settled.SaturatedDrivers + (interval.Health?.Saturated == true ? 1 : 0),
            };
            return;
        }

        if (!_open.TryGetValue(second, out var open))
        {
            _open[second] = open = new OpenSecond();
        }

        open.Add(interval, total);
        if (second > _newestSecond)
        {
            _newestSecond = second;
            while (_open.Count > 0)
            {
                var oldest = _open.Keys.First();
                if (oldest > _newestSecond - SettleSeconds)
                {
                    break;
                }

                _settled[oldest] = _open[oldest].Summarise(oldest);
                _open.Remove(oldest);
            }
        }
    }

    private sealed class OpenSecond
    {
        private readonly TargetCounters _counters = new();
        private double _rps;
        private int _saturated;

        public void Add(IntervalSnapshot interval, TargetCounters total)
        {
            _counters.AddCountsAndLatency(total); // a second's summary needs no service-time or lag histogram
            _rps += total.Count;
            if (interval.Health?.Saturated == true)
            {
                _saturated++;
            }
        }

        public SecondSummary Summarise(long second)
        {
            Span<long> p = stackalloc long[3];
            _counters.Latency.ValuesAtPercentiles([50, 90, 99], p);
            return new(
                second,
                _counters.Sent,
                _counters.Count,
                _counters.Errors,
                Math.Round(_rps, 3),
                LatencySummary.Ms(p[0]),
                LatencySummary.Ms(p[1]),
                LatencySummary.Ms(p[2]),
                LatencySummary.Ms(_counters.Latency.Max),
                _counters.Late,
                _counters.LateConnectionsBusy,
                _counters.Dropped,
                _saturated);
        }
    }
}
