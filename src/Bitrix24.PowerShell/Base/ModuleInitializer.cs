using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Runs when the module is imported: makes sure Newtonsoft.Json 13 can be had. PowerShell 7.2+ ships 13
    /// and the module uses it; Windows PowerShell 5.1 may have another module's older copy loaded, so the
    /// module's own copy is loaded beside it; PowerShell 7.0 and 7.1 ship 12 and cannot load 13, so the
    /// import is refused with a message that says so (instead of a bare load error on first use).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Remove-Module (or Import-Module -Force) takes the handler away, so a re-import does not add a second one.</summary>
        public void OnRemove(PSModuleInfo module)
        {
            if (Bitrix24.Rest.Transport.HttpTransport.OnNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveOwnNewtonsoft;
        }

        public void OnImport()
        {
            if (Bitrix24.Rest.Transport.HttpTransport.OnNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveOwnNewtonsoft;
                return;
            }
            var problem = NewtonsoftCheck.Problem(NewtonsoftCheck.HostVersion(), $"PowerShell {PSVersionInfo()}");
            if (problem != null) throw new InvalidOperationException(problem);
        }

        private static string PSVersionInfo() =>
            typeof(PSObject).Assembly.GetName().Version?.ToString(3) ?? "this version";

        /// <summary>.NET Framework: a request for Newtonsoft.Json 13 that the AppDomain cannot satisfy (another
        /// module loaded an older one first) gets the copy beside this module.</summary>
        private static Assembly ResolveOwnNewtonsoft(object sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            if (!string.Equals(wanted.Name, "Newtonsoft.Json", StringComparison.OrdinalIgnoreCase)) return null;
            if (wanted.Version != null && wanted.Version < NewtonsoftCheck.Required) return null;
            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => a.GetName().Name == "Newtonsoft.Json" && a.GetName().Version >= NewtonsoftCheck.Required);
            if (loaded != null) return loaded;
            var own = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "", "Newtonsoft.Json.dll");
            return File.Exists(own) ? Assembly.LoadFrom(own) : null;
        }
    }

    /// <summary>Whether the host's Newtonsoft.Json will do.</summary>
    internal static class NewtonsoftCheck
    {
        /// <summary>The assembly version the module is built against (13.0.1 carries 13.0.0.0).</summary>
        public static readonly Version Required = new Version(13, 0, 0, 0);

        /// <summary>The Newtonsoft.Json a PowerShell 7 host has loaded, else the one it ships beside itself.</summary>
        public static Version HostVersion()
        {
            var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Newtonsoft.Json");
            if (loaded != null) return loaded.GetName().Version;
            var shipped = Path.Combine(AppContext.BaseDirectory, "Newtonsoft.Json.dll");
            return File.Exists(shipped) ? AssemblyName.GetAssemblyName(shipped).Version : null;
        }

        /// <summary>Why the module cannot run with <paramref name="hostVersion"/>, or null when it can.</summary>
        public static string Problem(Version hostVersion, string host) =>
            hostVersion == null || hostVersion >= Required ? null
            : $"Bitrix24 needs Newtonsoft.Json {Required.Major}.0 or later, but {host} has Newtonsoft.Json {hostVersion} loaded, " +
              "and a PowerShell 7 session cannot load a second version of it. Use PowerShell 7.2 or later (or Windows PowerShell 5.1).";
    }
}
