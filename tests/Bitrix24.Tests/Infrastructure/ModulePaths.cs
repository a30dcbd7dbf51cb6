using System;
using System.IO;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>Where the repository and the built module are.</summary>
    public static class ModulePaths
    {
        public static string RepoRoot { get; } = FindRoot();
        public static string ModuleDirectory => Path.Combine(RepoRoot, "out", "Bitrix24");
        public static string Manifest => Path.Combine(ModuleDirectory, "Bitrix24.psd1");

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Bitrix24.PowerShell.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("Cannot find the repository root (Bitrix24.PowerShell.sln) above " + AppContext.BaseDirectory);
            return dir.FullName;
        }
    }
}
