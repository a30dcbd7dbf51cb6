using System;
using System.IO;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Saves a file held by a CRM file field (a contact's PHOTO, a company's LOGO, a file custom field) to disk,
    /// fetched from the address the portal gives it. Piped file values (Get-B24Contact -Id 5 | ForEach-Object PHOTO)
    /// are saved one by one; an existing file is kept unless -Force.
    /// </summary>
    [Cmdlet(VerbsData.Save, "B24File", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveB24FileCommand : B24ConnectedCmdlet
    {
        /// <summary>The file as a record shows it (its id and download address).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public CrmFile InputObject { get; set; }

        /// <summary>A folder to save into (the file keeps the name the portal gives it), or a file path. The current location by default.</summary>
        [Parameter(Position = 1)]
        public string Path { get; set; }

        /// <summary>Overwrite a file that is already there.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the saved file (a FileInfo).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            try
            {
                if (string.IsNullOrEmpty(InputObject.DownloadUrl))
                    throw new InvalidOperationException($"The portal gave {InputObject} no download address.");
                var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(Path) ? "." : Path);
                var intoFolder = Directory.Exists(target);
                if (!intoFolder && File.Exists(target) && !Force)
                    throw new IOException($"'{target}' exists; -Force overwrites it.");
                if (!ShouldProcess(intoFolder ? System.IO.Path.Combine(target, "<name from the portal>") : target, $"Save {InputObject} from {ActiveConnection.Portal}")) return;
                var (content, name) = Await((cancel, log) => ActiveConnection.Client.DownloadAsync(InputObject.DownloadUrl, cancel, log));
                var file = intoFolder ? System.IO.Path.Combine(target, SafeName(name) ?? "file-" + InputObject.Id) : target;
                if (intoFolder && File.Exists(file) && !Force) throw new IOException($"'{file}' exists; -Force overwrites it.");
                File.WriteAllBytes(file, content);
                WriteVerbose($"Saved {InputObject} ({content.Length} bytes) to {file}.");
                if (PassThru) WriteObject(new FileInfo(file));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, InputObject);
            }
        }

        /// <summary>The portal's name for the file, without any folder part.</summary>
        private static string SafeName(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            var bare = System.IO.Path.GetFileName(name.Replace('\\', '/'));
            foreach (var bad in System.IO.Path.GetInvalidFileNameChars()) bare = bare.Replace(bad, '_');
            return bare.Length == 0 ? null : bare;
        }
    }
}
