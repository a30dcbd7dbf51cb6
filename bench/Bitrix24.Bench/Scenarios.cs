using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Bitrix24.Emulator;
using Bitrix24.Emulator.Server;
using Bitrix24.Rest.Batch;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

/// <summary>The scenarios, one file each, and what they share: where the repository and the built module are.</summary>
static partial class Scenarios
{
    internal static readonly bool ShowCpu = Environment.GetEnvironmentVariable("BENCH_CPU") == "1";
    internal static readonly string Root = FindRoot();
    internal static readonly string Module = Path.Combine(Root, "out", "Bitrix24");

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (root != null && !File.Exists(Path.Combine(root, "Bitrix24.PowerShell.sln"))) root = Path.GetDirectoryName(root);
        return root ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
