sealed class ModuleSession : IDisposable
{
    private static readonly bool ShowCpu = Environment.GetEnvironmentVariable("BENCH_CPU") == "1";
    // BENCH_VERBOSE=1: the run's pace changes and waits, each with the second it came at.
    private static readonly bool ShowPacing = Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1";
    private readonly Runspace _runspace;
    private readonly int _leads;
    private readonly string _titlePrefix;

    public ModuleSession(string module, string webhookUrl, int leads, string connectOptions, string titlePrefix)
    {
        _leads = leads;
        _titlePrefix = titlePrefix;
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        // The pipeline runs on this thread (not a new one per run), so its CPU time can be read per thread.
        _runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        _runspace.Open();
        // As a user does: connect, which reads the portal's field schema once.
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript($"Import-Module '{module}'; Connect-Bitrix24 -WebhookUrl '{webhookUrl}' {connectOptions}");
        ps.Invoke();
        if (ps.HadErrors) throw new Exception(string.Join("; ", ps.Streams.Error));
    }

    /// <summary>One timed `$items | Set-B24Lead`: the wall time and the errors it wrote.</summary>
    public (double Seconds, int Errors) Run(Action clearLog)
    {
        // The pause lets the bucket drain the connect's request (the run starts with the full burst), and
        // every timed run, raw or module, starts after the portal has been idle for a second.
        System.Threading.Thread.Sleep(1000);
        clearLog();
        // The input is made before the clock starts: what is timed is Set-B24Lead's work.
        var items = Enumerable.Range(1, _leads).Select(id => (object)new Hashtable { ["ID"] = id, ["TITLE"] = _titlePrefix + id, ["STATUS_ID"] = "IN_PROCESS" }).ToArray();
        _runspace.SessionStateProxy.SetVariable("items", items);
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(ShowPacing ? "$items | Set-B24Lead -Verbose" : "$items | Set-B24Lead");
        Heap.Settle();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var threads = ThreadTimes.Read();
        using var jitted = Environment.GetEnvironmentVariable("BENCH_JIT") == "1" ? new JitListener() : null;
        var clock = Stopwatch.StartNew();
        if (ShowPacing)
            ps.Streams.Verbose.DataAdded += (sender, e) =>
            {
                var line = ((PSDataCollection<VerboseRecord>)sender)[e.Index].Message;
                if (line.StartsWith("Pace", StringComparison.Ordinal) || line.Contains("QUERY_LIMIT")) Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.000} {line}");
            };
        ps.Invoke();
        clock.Stop();
        jitted?.Print();
        if (ShowCpu)
        {
            ThreadTimes.Print(threads, ThreadTimes.Read());
            Console.WriteLine($"  module run: wall {clock.Elapsed.TotalSeconds:0.00} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s, gen0 GCs {GC.CollectionCount(0) - gcs}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms");
        }
        return (clock.Elapsed.TotalSeconds, ps.Streams.Error.Count);
    }

    public void Dispose() => _runspace.Dispose();
}

static class Heap
{
    private static readonly bool Off = Environment.GetEnvironmentVariable("BENCH_SETTLE") == "0";

    /// <summary>
    /// Collects before a timed run, so what was made before the clock (the 20,000 input hashtables, the
    /// raw bodies) is promoted before it too: otherwise the run's first collections copy the input into
    /// the older generations, and the input's cost is charged to whatever is timed (25-90 ms of pauses
    /// per module run). Every timed path does it. BENCH_SETTLE=0 turns it off (the method of the previous release).
    /// </summary>
    public static void Settle()
    {
        if (Off) return;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

static class ThreadTimes
{
    /// <summary>CPU time of each of this process's threads so far (Linux: /proc/self/task), by thread id.</summary>
    public static Dictionary<string, (string Name, long Ticks)> Read()
    {
        var result = new Dictionary<string, (string, long)>();
        if (!Directory.Exists("/proc/self/task")) return result;
        foreach (var dir in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat.Substring(close + 2).Split(' ');
                result[Path.GetFileName(dir)] = (stat.Substring(open + 1, close - open - 1), long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException) { }   // the thread ended meanwhile
        }
        return result;
    }

    /// <summary>CPU per kind of thread between two readings (in clock ticks of 10 ms: a coarse, honest split).</summary>
    public static void Print(Dictionary<string, (string Name, long Ticks)> before, Dictionary<string, (string Name, long Ticks)> after)
    {
        foreach (var kind in after.Select(p => (p.Value.Name, Ticks: p.Value.Ticks - (before.TryGetValue(p.Key, out var b) ? b.Ticks : 0)))
                                  .Where(t => t.Ticks > 0).GroupBy(t => t.Name))
            Console.WriteLine($"    threads '{kind.Key}': {kind.Count()}, {kind.Sum(t => t.Ticks) * 10} ms");
    }
}

/// <summary>Answers every batch of crm.lead.update commands with the emulator's answer to the first one.</summary>
sealed class CannedUpdates : DelegatingHandler
{
    private byte[]? _answer;
    public int Requests;
    public CannedUpdates(HttpMessageHandler portal) : base(portal) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancel)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancel);
        if (!request.RequestUri!.AbsolutePath.EndsWith("/batch") || !body.Contains("crm.lead.update"))
            return await base.SendAsync(request, cancel);
        Requests++;
        if (_answer == null)
        {
            var response = await base.SendAsync(request, cancel);
            _answer = await response.Content.ReadAsByteArrayAsync(cancel);
        }
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(_answer) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } } };
    }
}

sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
{
    public readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> ByType = new();
    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }
    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload == null) return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount")]);
        ByType.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}

/// <summary>The emulated portal in a child process (this program with "serve"), reached over loopback.</summary>
sealed class PortalProcess : IDisposable
{
    private readonly Process _process;
    public string WebhookUrl { get; }

    public PortalProcess(int leads)
    {
        // BENCH_PORTAL_CPUS=1 runs the portal on CPU 1 only (Linux taskset), e.g. with this program
        // started as `taskset -c 0 …`: each side then has a core of its own, as on two machines.
        var cpus = Environment.GetEnvironmentVariable("BENCH_PORTAL_CPUS");
        var start = new ProcessStartInfo(cpus != null ? "taskset" : "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (cpus != null) { start.ArgumentList.Add("-c"); start.ArgumentList.Add(cpus); start.ArgumentList.Add("dotnet"); }
        // BENCH_PORTAL_GEN0 (bytes, hex): the portal's gen0 budget (DOTNET_GCgen0size), for the portal only.
        var gen0 = Environment.GetEnvironmentVariable("BENCH_PORTAL_GEN0");
        if (gen0 != null) start.Environment["DOTNET_GCgen0size"] = gen0;
        start.ArgumentList.Add(typeof(PortalProcess).Assembly.Location);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--leads");
        start.ArgumentList.Add(leads.ToString());
        _process = Process.Start(start)!;
        // The table header the child prints first, then its address.
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) != null && !line.StartsWith("http")) { }
        WebhookUrl = line ?? throw new Exception("The portal process did not start.");
    }

    /// <summary>The portal process's CPU time so far.</summary>
    public TimeSpan Cpu { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    public void ClearLog()
    {
        _process.StandardInput.WriteLine("clear");
        _process.StandardOutput.ReadLine();
    }

    public string LastGc = "";
    /// <summary>Requests since the last clear, how many were refused, and how long the portal spent serving them.</summary>
    public (int Requests, int Refused, TimeSpan Serving) Stats()
    {
        _process.StandardInput.WriteLine("stats");
        var parts = _process.StandardOutput.ReadLine()!.Split(' ');
        LastGc = parts.Length > 3 ? parts[3] : "";
        return (int.Parse(parts[0]), int.Parse(parts[1]), TimeSpan.FromTicks(long.Parse(parts[2])));
    }

    public void Dispose()
    {
        _process.StandardInput.Close();   // the child ends when its input does
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>BENCH_JIT=1: what the JIT compiles during a timed run (methods loaded, by namespace).</summary>
sealed class JitListener : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _byKind = new();
    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x10);
    }
    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName == null || !e.EventName.StartsWith("MethodLoadVerbose") || e.Payload == null) return;
        string Field(string name) { var i = e.PayloadNames!.IndexOf(name); return i < 0 ? "" : Convert.ToString(e.Payload[i]) ?? ""; }
        var ns = Field("MethodNamespace");
        var cut = ns.IndexOf('`'); if (cut > 0) ns = ns.Substring(0, cut);
        var parts = ns.Split('.');
        // The event carries no tier, so a method compiled again at a higher tier counts again.
        var key = string.Join('.', parts.Take(3));
        _byKind.AddOrUpdate(key, 1, (_, n) => n + 1);
    }
    public void Print()
    {
        foreach (var pair in _byKind.OrderByDescending(p => p.Value).Take(15)) Console.WriteLine($"    jitted {pair.Value,5}  {pair.Key}");
    }
}
