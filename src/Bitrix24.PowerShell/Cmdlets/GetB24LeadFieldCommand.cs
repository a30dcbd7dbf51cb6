using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the portal's lead fields (crm.lead.fields), custom fields included.</summary>
    [Cmdlet(VerbsCommon.Get, "B24LeadField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24LeadFieldCommand : B24GetFieldCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
