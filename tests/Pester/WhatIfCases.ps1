# The -WhatIf matrix: every write cmdlet, single and bulk, on both routes, under each way a user can ask
# for "what if", with and without -Force. {0}..{4} stand for five leads made for each case.
$commands = [ordered]@{
    'Set-B24Lead -Id'         = 'Set-B24Lead -Id {0} -Title changed'
    'Set-B24Lead pipeline'    = "{0},{1},{2},{3},{4} | ForEach-Object {{ @{{ ID = `$_; TITLE = 'changed' }} }} | Set-B24Lead"
    'Set-B24Lead lead object' = "`$l = Get-B24Lead -Id {0}; `$l.TITLE = 'changed'; `$l | Set-B24Lead"
    'New-B24Lead'             = "New-B24Lead -Title 'new lead'"
    'New-B24Lead pipeline'    = "1..5 | ForEach-Object {{ @{{ TITLE = `"new `$_`" }} }} | New-B24Lead"
    'Remove-B24Lead -Id'      = 'Remove-B24Lead -Id {0}'
    'Remove-B24Lead pipeline' = '{0},{1},{2},{3},{4} | Remove-B24Lead'
    'Set-B24LeadContact'      = 'Set-B24LeadContact -Id {0} -ContactId 5'
}
$modes = [ordered]@{
    '-WhatIf'                     = '{0} -WhatIf'
    '$WhatIfPreference = $true'   = '$WhatIfPreference = $true; {0}'
    '$WhatIfPreference = 1'       = '$WhatIfPreference = 1; {0}'
    # Formatted twice (here, then with the case's lead ids): its own braces are doubled twice.
    'a caller given -WhatIf'      = 'function Invoke-Case {{{{ [CmdletBinding(SupportsShouldProcess)] param() {0} }}}}; Invoke-Case -WhatIf'
    '-WhatIf -Force'              = '{0} -WhatIf -Force'
    '$WhatIfPreference and -Force' = '$WhatIfPreference = $true; {0} -Force'
}
$whatIfCases = foreach ($route in 'Lead', 'Item') {
    foreach ($command in $commands.Keys) {
        foreach ($mode in $modes.Keys) {
            if ($mode -like '*Force*' -and $command -notlike 'Remove-*') { continue }
            @{ Id = "$route|$command|$mode"; Route = $route; Command = $command; Mode = $mode
               Script = $modes[$mode] -f $commands[$command]; Writes = $false }
        }
        # The same command for real: it must write, or the matrix proves nothing.
        @{ Id = "$route|$command|control"; Route = $route; Command = $command; Mode = 'control'
           Script = '{0} -Confirm:$false' -f $commands[$command]; Writes = $true }
    }
}
