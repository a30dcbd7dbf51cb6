using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The CRM type every -B24Item cmdlet works on, declared once and served as dynamic parameters.</summary>
    public class ItemTypeParameters
    {
        /// <summary>The CRM type (Get-B24ItemType lists them).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ItemTypeCompleter))]
        public int EntityTypeId { get; set; }

        /// <summary>The CRM type by its title, instead of -EntityTypeId.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ItemTypeCompleter))]
        public string Type { get; set; }
    }
}
