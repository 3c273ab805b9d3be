Muž v oranžové čepici, který něco na něco, který něco na něco, který něco na hlavě.
Skonboska běží po trávě před bílým plotem.
Dívka v karate uniformě si dává tyč s kopkou.
Pět lidí v zimních bundách a helmách stojí ve sněhu s sněhem a sněhem.
Lidé opravují střechu domu.
Muž ve světle barevném oblečení fotí skupinu mužů v tmavých oblecích a čepicích stojí okolo ženy, v pozadí.
Skupina lidí stojí před obchodem.
Chlapec v červeném dresu se snaží vytatit z domácí talíř, zatímco chytač v modrém dresu se snaží chytit.
Muž pracuje na budově.
Muž ve vestě sedí na židli a drží magazín.
Matka a její mladý muž si užívají nádherné den venku.
Muži hrají volejbal, jeden z nichž jeden z nichž do vzduchu.
Žena drží misku s jídlem v kuchyni.
Muž sedí na nástroje u stolu ve svém dáli.
Tři lidé sedí v řadě.
Dívka v džínových šatech jde pomocí žeztáku.
Blonďatá drží se rukama s mužem v písku.
Žena v šedém svetru a černé kšiltovce stojí v obchodě v obchodě.
Člověk v pruhovaném triku leze po skále.
Dva muži, které jsou na sobě, co se dívají, zatímco se žena dívají.
Lidé stojí před budovou.
Teenager hraje na trumpetu na poli.
Žena dělá nějaké prkno na trampolíně.
Muž stojí u skupiny videochodů v baru.
Žena používá vrtačku, zatímco jiný muž fotí.
Žena v růžovém svetru a zástěře čistí stůl s tartem.
Muž krájí větve stromu.
Skupina asiatů čeká na maso, aby si mohli mohli na tom prohlít.
Žena v tradičním oblečení, které jsou na sobě v uniformách, skonují vátky.
Jeden muž drží druhého muže, které se připravují a připravují se na obličeji.
Šest lidí jede na horském kole skrz prolézačky v dětském prostředí.
Dvě blonďaté dívky sedí na římse na přeplněném náměstí.
Dítě cáká ve vodě.
Tři lidé sedí u piknikového stolu před budovou, na které je nežaža je na nežáda.
3 chlapci stojí na molu v plavkách.
Tanečnice drží ženu, zatímco se dívá skrz ryby na pouličním trhu.
Krásná žena hraje na harfu.
Pohled na budovu, v uniformě je na kameru.
Mladá dáma se dívá na pizzu.
Muž bez trička v šortkách rybaří, zatímco stojí na nějakém kamenech.
Dívka v záchranné vestě pádluje ve vodě.
Muž v uniformě a muž v modrém triku stojí před nákladním dodávkou.
Lidé sedí uvnitř vlaku.
Dítě se houpe s nohama ve vzduchu v lese.
Muž v červeném triku v domě dobrádá.
Dva muži v plavkách skáčou do vzduchu na huzněné pláž.
Batole vaří s jiným člověkem.
Otec a dvě děti venku před domem provádějící svou práci, že je na trávě a s rozkramuje.
Muž vaří jídlo na sporáku.
Muž v džínách na pláži si hraje s červeným míčem.
Lidé jdou po chodníku vedle řady obchodů.
Jezdec na wakeboardu předvádí salto, zatímco se na něj dívá.
Velká skupina lidí na ulici.
Muž na čtyřkolce se prochází do vody.
Žena v džínách jde kolem autobuse s kramádá ženou, která se dívá přes svůj sluneční brýle.
Muž v růžovém triku sedí v trávě a za ním je míč.
Auto zaparkované na pláži.
Dva muži v černém ve městě.
Muž ve žlutých kalhotách zvedá ruce.
Dva muži v čepicích, které používají sisiky jdou kolem vodní plochy.
Tým roztleskávaček dělá svoje na židlích.
Chlapec hraje dámu s dospělým, který je na sobě je vidět.
Dav lidí venku na nějakém místě.
Muž sedí na lavičce a drží svého psa a dívá se na vodu.
Chlapec a jeho mladší muž si hrají na hřišti.
Žena v modrém se dívá na černou kožené tašku, zatímco se lidé sedí na lavičce během slunečného koše, zatímco lidé aby za ní je za ním.
Hnědý pes stojí na pískové pláži.
Žena sedí s košíkem, obklopenými látkou.
Muž griluje na zahradě.
Žena zpívá v klubu s kytaristou za ní.
Kytarista předvádí na pódiu v nočním červeném kytaru.
Dítě sedí na trávníku a dívá se do kamery.
Dvě ženy a tři muži se dívají na oceán.
Žena s housle hraje na ulici, zatímco žena s modrým kytarou se dívá na.
Mladá dívka plave v bazénu.
Několik dětí se připravuje na začátek, aby se mohli se otát.
Tři dorostenci v metru si hraje.
Hnědý pes jde po trávě s vyplazeným jazykem.
Lidé sedí v trávě před budovou, zatímco si dávají pauzu.
Muž bez trička zírá do dáli, zatímco tři žena jdou kolem kavárny.
Dva mladí chlapci dávají ovoce na kole.
Muž v černém tričku, čepici a čepici hraje na bubny na žluté svou žiže.
Mladá žena maluje obrázek ženy na zdi.
Dva roztleskávači týmkých týmů předvádí skok vysoko, obklopena dvěma dalšími.
Muž míchá hrnec s tekutinou v této kuchyni.
Chlapec na wakeboardu na wakeboardu.
Muž pracuje a pár stojí.
Velká skupina lidí různého věku spolu sedí venku.
Blonďatá žena na baru na baru.
Malé dítě v modro-bílém tričku s krátkými rukávy drží žlutý plastový balónek.
Žena s růžovými vlasy v černém mluví s mužem.
Muž v obchodě připravuje jídlo na dva lidé.
Dívka skáče přes řeku, z skály.
Pracovník s nástroji s nástroji klečí vedle dvou žen.
Starší muž otevírá svůj ruce a dívá se na svou idovku.
Dítě v bílém karate oblečení trénuje trik.
Tři muži ve stejném vestách jsou ve třídě.
Žena fotí mimino v růžovém klobouku, zatímco muž nese.
Skupina pěti dětí sedí na svých židlích, která sedí na farmě v modrých křesle.
Mladý chlapec v fotbalovém dresu brečí do svých žesivky.
Šťastná žena připravuje na kafe v kavárně.
Stavební dělník řídí těžký vybavení na práci.
Žena běží po míči v ženy, a chytač se na nohou.
Muž v pracovním dresu vychází nástroje na jiného člověka.
Skupina lidí leze po chladném počasí.
Horský cyklista se chystá sjet horu s modrou helmou.
Muž dělá stojku na vrchu kulaté sochy.
Dítě sedí u stolu a drží papír proti obličeji.
Hnědý pes se brodí do jezera aby mohli rytát.
Matka učí se dvěma mladým chlapci, aby vyklá z kamenného břehu do velmi modré vody.
Malé dítě jde vedle červeného žesů.
Dívka sedí na skrodce s mladším chlapcem, zatímco další dívka fotí.
Černý pes se pohybuje ve vodě.
Muž v bílých kalhotách a modrém triku kope do žlutého boxu.
Dva Indi se účastní obřadu.
Chlapec s idovkou a píše na ruce stojí v prádelně.
Dva fotbalisté pádlují na kánoi na oceánu.
Lidé stojí v přeplněném metru a venku je vidět z okna.
Muž leze po zdi s ohněm v ruce.
Dva hnědí psi běží sněhem.
Postarší skupina roztleskávaček vystupuje na malému členu hrající pro obecenstvo.
Miminko v vánočnímch šatech se dívá na kameru.
Muž sedí vedle počítače a.
Tato dáma má na sobě vosusu a smějí se.
Lidé v budově, jeden z nich fotí.
Čtyři bílí psi s náhubky skáčou přes červenou zeď.
Žena v modrém triku drží mimino.
Dva lidé sedí na pruhovaných bruslích na pruhovaných plážech ve vodě.
Stará žena pracuje na stroji dělá látku.
Chlapec stojí v popředí a dívá se na ostatní lidi v poli.
Muž v modrém kabátu chytá mladého chlapce.
Tři hnědí psi skáčou na ženu v modrém.
Chlapec visí z nějakých taxi a vysátá okna.
Muž v šedém triku skáče přes vrchol písečné duny v poušti.
Dítě ve žlutém triku skáče nahoru a dolů.
Pracovník ve žluté bundě je nalévá vysoko na budově.
Muž v Lususuzuje na sobě stožatáda, mluví s modrými dospělí.
Skupina žen, která táhne skov v baru s vánočními světly na stropu.
Muž jede na útesu na útesu.
Muž v černém jde k svých autě ve sněhu.
Mikonista skáče za míčem.
Ostádník v čepici a v pruhované uniformě se usmívá, zatímco se slunečními brýlemi se usmívá.
Rodina se prochází na procházce v parku.
Muž v zelené přilbě a žluté bezpečnostní vestě s modrými bezpečnostními vestou.
Dítě s růžovými mašlí na hlavě tančí obklopena směrem.
Pes s zdvižkem si mačká mačká žetát na podzim.
Muž připravuje na místním místě pro podkračené.
Muž v červeném triku se chystá jít.
Mladá žena v bílém drží tenisovou raketu.
Chlapec v červeném triku kope do písku s žlutým lopatem.
Člověk v trodně bundě na dřevěné lavičce.
Muž v bílém triku se dívá z okna kovového dřeva.
Žena drží malé bílé sochy.
Šest skvivkých dětí si hraje v prostředu vodě a cáká se.
Dva lidé jedou na kole skrz horu.
Dívka skáče na chodníku u parku.
Muž v oranžovém triku a helmě.
Malý chlapec si hraje s plastovými auty, auty a zvířata se dívají.
Malá dívka otevírá Vánoční dárky.
Žena v modrém řídí foťák před dvěma dalšími ženami.
Malá dívka se snaží odpočívá na svých gauči.
Hnědo-bílý pes běží po cestě v lese.
Dva psi si hrají u stromu.
Přeháda jde v černém kabátu a kalhotách na schodech na párů.
Dva muži v zeleném připravují jídlo v restauraci.
Muž oblečený v černém kožené a kovbojském klobouku jde kolem dvou Asisů.
Pes běží venku s žlutým hračkou.
Pes v ringu běží sněhem.
Rodina si hraje na pláži se svým psem.
Žena a dítě se objímají, zatímco dítě se na sobě píšálají.
Dva muži a žena stojí venku.
Skupina mužů používá skradky, aby vyhrat z vody z vody.
Muž pije z hrnku z vína a čte noviny.
Muž v černém a hraje na piano.
Mladý chlapec v modrém dresu a žlutých šortkách hraje fotbal.
Muž stojí na kamenném stavbě s rukama z ptáka.
Pes pije venku venku na trávě.
Dvě ženy v tílkách se dívají na kameru.
Muž sedí na skrodce na skrtáda na skrtáku se chystá se na skrt.
Malé dítě v zelených botách si hraje v bahně.
Muž používá motorovou pilou aby vytátá.
Muž sedí u piknikového stolu s ovocem a částečně za ním je žatáta.
Chlapec v černém triku a modrých džínách drží červené baseballovou pálkou.
Tmavovlasý muž v brýlích s nápisem a s nápisem "antu sedí na trávě.
Psi běží po psí dráze.
Vousatý muž s kmenem s dřevěnými tetováním na sobě s tetováním na pozadí.
Dva hnědí psi se na sebe na sebe.
Toto je skupina lidí stojí okolo nějakých událost.
Hnědo-bílý pes zahrahuje hračku.
Muž s bílými vlasy hraje na akordeon uprostřed nějakých budov.
Žena s hnědými vlasy sedí na lavičce před kavárnou.
Muž vedle kola hraje na pánní flétnu.
Dvě děti balancuje na kládě a drží provaz.
Muž jede na motorce předvádí trik na dráze.
Mladá žena s fialovými látkami se baví na dřevěné verandě.
Žena v hnědém triku sedí na světle červené lavičce.
Pes jde podél kopce na malé řece.
Mladý muž v bílém tričku a zeleno-černých šortkách stojí na větvi.
Skupina lidí je zapřítována deštníky.
Muž s řízituje s velkou nápisem z svého kola.
Muž hází do vody do vody, zatímco dva psi se dívají.
Skupina starších mužů hraje na nástroje pod vodou.
Pohled na přeplněné ulici.
Mladá blonďatá žena drží bílé lano na slunečného dne.
Dva lidé v modrých košilích jsou venku s býkem, který je na sobě.
Černý pes strká do bazénu.
Kovboj jede na zadní části koně v soutěži.
Pohled na kolejích předvádí údržbu na železniční trati.
Pracovník v oranžové vestě používá lopatu.
Dva dělníci pracují na práci, zatímco na práci.
Tři muži jdou po hoře.
Asiatka v květovaných svatebních šatech pózuje na mostě blízko svého děže.
Mladý muž strká svůj kytaru v kuchyni.
Tři chlapci si hrají s chlapcem a kyblíky.
Tři dělníci pracují na chodníku.
Lidé v lese u kánoi vedle kánoích.
Skupina lidí se sešla v kostele.
Skupina mladých dospívajících skáče v noci pro kameru.
Dva muži jedou na kajaku, jeden z nich je pohradně v proudu.
Dva pracovníci s cementem na cihlové budově.
Dáma v červeném tílku a džínách sedí s rukama na levé kole.
Dva umělci se perou na reklamu, co se dívá na obecenstvo, co je pozoruje.
Vosasisisi a čeká na letišti.
Muž ve žlutém kabátu se stará o oheň, zatímco se dívá na něj chlapec.
Muž a chlapec na kamenné pláži.
Žena na lodi na žetněně je napsáno "Sosa" aby idosas" do vody.
Chlapec sedí a dívá se z mikroskopu.
Mladá bosá dívka v růžových šatech skáče venku.
Mnoho lidí sedí venku kolem stanu.
Mladý chlapec s černým trikem, který je napsáno "AAOTECO", zatímco sedí na buben.
Muž prodává předměty u silnice na úzkém hornu.
Dívka ve žlutém se směje na dívku v oranžovém, zatímco se dívá na dívka v modrém.
Pes skáče přes překážku venku.
Pes s černým obojkem se říhnutou v hlíně a žisidilají listí.
Dva hnědí psi si hrají v svých chosu.
Muž s knírem a vousy drží skrtávky, který je za ním, který je žašlát.
Muž, který má na sobě nežaževně v idovce oblečení, zatímco se římuje.
Muž v černém triku rybaří na kamenném břehu.
Dva psi se snaží získat notut.
Dva muži se zastavil, aby si povídají na chodníku, kolem něj projíždí auta.
Trenér středně muži sedí a čeká na zákazníky.
Vousatý auta s velkými autobusy za nimi.
Dvě ženy v podobně trikách jdou k levé.
Malé dítě v oranžové záchranné vestě drží v vodním kajaku na vodní kajaku.
Lidé jdou po cestě v kmenovém parku.
Tři mladí dospělí se baví v davu lidí, která se dívá na smutně.
Žena a dítě před řadou svou vysavtátá žena.
Černoch a jeho bílých přátel spolu dávají svou spolu spolu.
Dívka v maskáčových kalhotách sedí na vrchu sklad.
Světle světle hnědý pes běží.
Chlapec pózuje s velkou zelenou v nose.
Plešatý muž se idíduje vysokého hnědou a černého psa.
Dav na rušném dni ulici.
Chrt v hnědých pes, který běží po dráze.
Muž v sandálech sedí na chodníku u nějakých tašek.
Muž a žena sedí na metu a povídají si.
Dítě se dívá na kávu v obchodě.
Muž pije z žlutého hrnku kolem žlutého dne.
Chlapec se opírá o auto s květinami na kapotu.
Žena v květovaných šatech mluví s dětmi před dodávkou.
Muž na své svatbě podkláda.
Mladá žena v černém triku a džínách zametá.
Žena s čepicí leze na útesu blízko velké vodní plochy.
Velký černý pudl běží trávou s hračkou v puse.
Chlapec v šortkách dělá skateboardový trik.
Malý chlapec v červených kalhotách stojí na ulici.
Žena píše na telefonu, kde je obklopená deštníky.
Osm mužů hraje na nástroje na pódiu, s trumpetou v pozadí.
Muž v oranžovém obleku a s krátkými přilbách pomáhá s modrou hadicí.
Muž a dvě dívky se předvádějí rybu, zatímco drží rybářský prut před vodní plochou.
Muž v červeném triku sleduje psa na kole.
Chlapec v červeno-bílé kombinéze skáče do krásného bazénu.
Asijatka spravuje vlasy.
Starší žena a malé dítě v růžovém tričku si hraje s barevnými kostkami.
Malý černý pes skáče přes bras.
Hnědovlasý muž v zeleném tričku hraje na trumpetu.
Muž mluví na telefonu s nohama.
Skupina dětí sedí na modré podložce, zatímco jedí z mísy.
Černý chlapec sedí v písku.
Malý pes sleduje dva velkých psi, kteří si hrají na poli.
Lidé sedí v kruhu venku před velkou budovou.
Jeden pes skáče aby chytil míč, zatímco jiný přihlíží.
Blonďaté dítě se houpe na houpačce.
Jeden muž a dvě ženy, kteří mají diskuzi nad bílými vína.
Asiat vaří jídlo venku.
Hnědý pes se chystá chytit zelenou frisbee.
Přísizisii fandí kapela hraje píseň.
Mladý chlapec stojí vedle pískové sochy.
Tři malé děti jdou po travnatém zahradě.
Muž lije na dílu na vozíku.
Muž na kole projíždí na horu.
Chlapec s modrými a žlutými botami běží po hlíně.
Žena v oranžové bundě sedí na lavičce.
Muž dělá trik na skateboardu.
Muž v bojových uměníchkých uniformách ve vzduchu.
Žena prodává tašky na chodníku.
Dva fotbalové týmy jsou na hřišti.
Dítě v modrém triku skáče z lavičky.
Brankář ve žlutém poli je žetáta.
Skupina mladých lidí se fotí v New Yorku.
Mladý muž skateboarduje z růžového zábradlí.
Mladý chlapec skáče z kuvu na malé posteli.
Dva lidé v zvláštních kostýmech, jeden v modrém, druhý modré, jeden z nich stojí na silnici.
Muž běží v modrém triku s číslem žet.
Asijský tarkonník pózuje pro kameru.
Muž, který vypadá, že běží maraton, aby mohli palec nahoru.
Hráč basketbalu v zápase během hry.
Fotbalista v oranžovém dresu se usmívá a drží fotbalový míč.
Dva malí lyžaři se na skateboardu, zatímco se ostatní dívají.
Tým v bílo-zlatém poli na dráze.
Malá dívka tlačí po travnatém místě podél travnatého stromů.
Skupina asijské děti oblečených v bílých košilích a čepicích vystupují se davem se dívá na.
Chodci jdou po ulici a dívají se na dítě v tězce.
Hnědý pes běží po písečné pláži.
Dva muži ve vojenské uniformě stojí vedle ženy.
Drenér v uličce, kde se účastní hodněch skonských vlajkami, s říšenými vlajkami.
Cyklista skáče přes překážku.
Pár sedí v bílých zahradních křeslech se usmívají do objektivu.
Mladé děti jsou na malé vlakové.
Surfař v modrých plavkách jede na vlnách.
Chlapec skáče do svého fotbalového bratra.
Dva mladí muži na opačných týmech soupeří, aby se mohli získat míč na fotbalovém hřišti.
Lidé jdou po dlážděném svahu obklopeném obchodem.
Mladý chlapec v bílých kalhotách skáče z gauč.
Chlapec v oranžovém triku lije překážku z tašky.
Žena v hnědých sandálech a modrých džínách drží mimino pod vysokou stromem.
Tři lidé se smějí a drží pozemního cedule, které se na sobě jsou vidět.
Pouliční důstojník stojí vedle auta na městské ulici.
Dva muži v čepicích.
Chlapec ve vzduchu se snaží kopit míč.
Mladý chlapec s modrými čepicí má hlavu dolů.
Červenovlasý muž s dredy sedí a hraje na akustickou kytaru.
Muž jí sendvič s dcerou na klíně.
Afroamerické dítě drží něco, jak je na fotce, které jsou na fotce.
Žena, která se dívá na dav lidí s nápisem "esas.
Policejní diváků sledují, jakžaž na sobě je na sobě číslo číslo, co je na sobě v obleku drží mísu.
Dav je na tyči v baru.
Dívka v bílém a dívka v zeleném prochází kolem modrého auta a umývá stanice.
Muž používá elektronicový stroj.
Člověk surfuje skrz skládá vlny v oceánu.
Profesionální důstojník si prohlíží něco.
Nevěsta a ženich se líbají pod nevěstou.
Policejní důstojník stojí v pozadí, zatímco mladý muž s červenou šálou zakrývá obličej.
Černobílý pes skáče přes strubol na soutěži.
Žena ve svetru si čte knihu ve svém domácím.
Několik dorostenců se dívá na zábradlí v tmavé místnosti.
Muž v bílém tričku začíná vylézt kámen.
Dospívající chlapec se protahuje v kuchyni a je zapradován svou plovky.
Lidé drží různé druhy na bubny nad různými druhy.
Tři cyklisté s rýži na rýži.
Dvě ženy a muž se dívají na knihu.
Tři děti se houpají na nohou, zatímco stojí blízko zaplávního svých židovku.
Kuchař pózuje pro fotku, zatímco vaří.
Mnoho lidí na ulici protestuje pomocí skrtávky.
Dospívající chlapec skáče na horu s kolem.
Malá dívka běží na pláži na břehu.
Bílý kachna sjíždějí na vodu ve vodě.
Dva muži se dívají, že se baví, zatímco stojí před nákladním vozem, zatímco čtyři lidé stojí okolo nich.
Žena v růžovém sukni drží mimino.
Hokejový hráč ve žlutém dresu je na gólu.
Muž jde kolem velké nápis, který říká "SmosES NES.
Tři chlapci v zelených košilích a žlutých kalhotách pózují na vrcholu skluzavky.
Muž tancuje s psem mezi nohama.
Bílý pes běží v mělké vodě.
Pouliční Úsisisisi jsou na pochodují s kapelou.
Skupina dětí si hraje na oplocené zahradě, zatímco dospělý ho dívá.
Skupina žen hraje na hudební nástroje.
Malá dívka ve fialových kostkovaných šatech leží na zemi a brečí.
Muž s šedými vlasy si holí vousy.
Dva černí psi, černý brokovně a bílý pes ve sněhu.
Muž v basketbalovém dresu skáče dopředu.
Žena sedí venku před domem s modrými dveřmi, aby si si užívá.
Děti sedí na muže v pracovním obleku.
Šedobílý pes skáče přes stojí v písku.
Dav se sešla okolo v parku fontány.
Několik starších mužů, někteří v tradičních čelecích se na ulici.
Mladá Qusaska se dívá na psa ve sněhu.
Fotbalista v zlatém dresu je na míči ze protihráče.
Žena v černém triku plete s fialovými žetou.
Čtyři ženy asijského původu jsou v zlatém šatech, zatímco předvádí žitát.
Člověk hraje na unikátně nástroj.
Dívka v černém sportovním oblečení s číslem 50 běží přes trávu.
Dítě se hodně idemuje s číslem 5."
Starší gentleman a mladá dívka se na práci na sebe.
Shromážděný hodně afrických chlapec natáčí malého Afričana ve žlutém triku.
Ulice s cyklisti a několika auty automobily.
Muž jede na kopém býkovi v idedu.
Chlapec skáče aby trefil tenisový míček.
Děti lezou po zdi, zatímco dva další lidé sledují.
Lidé jdou kolem neževádáka v pozadí.
Malá holka kope do vzduchu karate.
Dva muži se snaží vytátit z vody naproti něho.
Dva muži tančí, se davem se dívá na.
Profesionální žena stojí na pódiu na skrtá a diskutuje, aby si vytátit něco, aby vytátit něco z idos.
Žena leží na gauči se směje.
Pilot je žetádaskosována bílým bílými a druhý černou ženou.
Lyžař skáče na plot.
Tři psi si hrají s míčem na poli.
Dvě mladé děti jsou na písku.
Usmívající se chlapec si hraje v listí mezi kachny.
Tito čtyři lidé stojí venku, s třemi psy.
Pohled na Cesusisi, který je napadá a je na zadníchodos, aby se nasitáta v směrem.
Dívka v uzuvém triku má otevřenou pusu.
Členové skrtátání se vodními říchátá.
Muž stojí na ulici ve městě.
Hudek ptáků od mostu s jídlem v jejich prostředch.
Dva muži jedou po farmě a posedá pomocí žaztu.
Dva lidé stojí na vrcholu hory.
Mladá dívka si užívá zahradit, zatímco dělá anděla.
Tři muži se usmívají na kameru a ukazuje na své úsavky.
Člověk píše na tabuli v prázdné třídě.
Muž v černém triku sedí u stolu s otevřenými laptopem před ním.
Čtyři lidé odpočívají na travnatém kopci s výhledem na kamenný údolí.
Chlapec s skateboardem skáče ve vzduchu podél nějakých zábradlí.
Je tam muž v oranžovém triku hraje tenis.
Pes s červeným obojkem spravuje zuby na psí obojek.
Chlapec se baví venku během letního dne.
Pracovník v oranžovém pracuje a dívá si na kusu stroje.
Muži v kovbojskéch čepicích stojí na rodeo.
Dva psi ve sněhu a jeden má něco v puse.
Obchodka si dává pauzu z práce.
Béžový pes běží za bílým psem, který drží žlutý hračku.
Hráč hokejisté v bílém dresu s větví.
Muž v bílém triku s zlatou dráhou si hraje s kruhem.
Černý kůň spravuje hlavu skrz plot přes trávu.
Voják je žatáta aby se zatrátá rukama, aby si kouří.
Dva muži a dívka se smějí.
Dítě se opírá o výstavu z dveří a žluté, zatímco dospělý se dívá.
Černo-bílý pes se pohybuje na dužně na sněhu.
Mladá dívka stojí vedle žlutého kosa na kuchyňské lince.
Dvě děti si hrají na hřišti.
Tenista v zeleném pruhovaném triku drží ruku aby zahrát do tlamy.
Chlapec v červeném obleku si hraje ve vodě.
Dítě v červené bundě a čepici drží velký kus sněhu.
Dva muži v oranžových bundách stojí venku před bílým stanem s diváky.
Dva lidé stojí vedle stromu na zemi.
Dva muži sedí u kamenné budovy.
Hnědovlasá dítě s brýlemi drží blonďaté dítě v červeném svetru a žlutých botách.
Černobílý pes si hraje s bílým míčkem.
Dva lidé se líbají na chodníku před obchodem, zatímco lidé jdou kolem.
Žena hraje volejbal.
Dva velcí psi se perou na špinavém poli.
Hnědý pes skáče přes překážku.
Muž v pruhovaném triku kouří cigaretu na ulici.
Malá dívka drží malého chlapce na klíně.
Muž se snaží sjet zahratné býku na krásném tuzkém, který je na krásném tuztém.
Děti bojují s míčem, aby se ohrát.
Cyklista se opírá o kolo kolem se skláda na špinavé dráze.
Dva lidé a kráva zamaká krávu na domácí.
Mladý chlapec se učí, jak jede na kole s jejich otcem.
Chlapec v červeném triku a černých šortkách zametá cestu.
Afroamerické rodina stojí před nějakými kladivky.
Muž hraje na nástroj vedle stromu.
Dvě ženy se drží za ruce přes stůl a usmívá se do objektivu.
Muž hnědý pes jde po trávě.
Baseballový hráč v černém tričku právě státá hráče v bílém triku.
Žena drží velký zboží na děti, který vypadá jako idos.
Dva psi, jeden s tenisovým míčkem v puse, běží vysokou trávou.
Dva dospělí a dvě děti sedí na lavičce v parku.
Žena v travnatém poli je na kolotoči.
Muž prodává kvůli čas.
Skupina lidí na ulici se shromáždili aby se podívali na akordeon.
Muž sedí na lavičce a se snaží na svůj oblíbený.
Starý muž v metru v metru čte noviny.
Starší muž v brýlích připravuje maso.
Muž předvádí trik na kole vedle sebe, zatímco se na kole.
Muž je na pláži na pláži a dělá písečnou sochu.
Několik lidí v parku jedí u piknikového stolu.
Dvě ženy jsou na stromové v nějakém stavbě.
Kovboj v rodeu se snaží dostat, že je nežetátněněněně.
Pes skáče skrz pomocí překážku.
Žena s dlouhými černými vlasy v růžovém triku s nápisem "Jovka, který leží.
Muž opravuje malé dívce.
Dvě dívky v chodých sukních tančí před nějakými hudebníci na ulici.
Žlutý pes nese klacek u vody.
Dívka ve svetru je za slunečného dne.
Horolezec se účastní.
Tři ženy v jasně zbarveném oblečení a čelejí se rychát.
Hnědý pes hrabe v blátě.
Mladý chlapec v bílém pruhovaném tričku a čele drží tenisovou raketu.
Dva psi běží od fotoaparátu v lese.
Dívka si hraje ve fontáně plném oblečením.
Tři mladíci v rukavicích stojí a poslouchá výstavu na výstavu.
Dva muži se dívají na kládu po kraji cesty.
Tři hráči, které se dívají na tým.
Dva chlapci přechází ulici ve městě a kope do vzduchu míč.
Muž drží další se svýma rukama.
Bílý pes na horském chodníku se otáčí z obličeje, aby něco zusován z v pozadí.
Chlapec jede na skateboardu na skateboardu.
Dlouhovlasý muž hraje na piano.
Tři atleti drží kytici stojí na pódiu.
Dva kytaristé táhnoucí v červených šatech.
Mladý chlapec je na sobě na sobě leží na oblečení na oblečení.
Malá dívka v růžovém drží na tyči.
Muž v zeleném skáče na své motorce.
Žena si hraje s dvěma malými chlapci v parku.
Čtyři lidé hrají fotbal na pláži.
Dvě taneční dívky objímají, jeden v helmě, jeden z nich na kole.
Dva středně hodně psů běží přes sněhem.
Žena stojí na zeleném poli a drží bílý pes a ukazuje na hnědých psa.
Velká skupina lidí v prodejcích na venkovní trhu.
Dva lidé sedí u stolu venku u zdi a na obličeji.
Dva muži s rouškou na obličeji se smějí.
Dítě leží na béžovém koberci se směje.
Muž a žena jsou v ruce sedí a všichni doškují.
Dvě ženy se bahlávají v dětském bazénu.
Muž v bílém triku jde s nápojem v ruce.
Dva lidé se dívají proti jezera, který se na obličeji.
Několik lidí sedí u stolu ve formálním oblečení.
Dvě dívky (vněně v modrém, a jedna v růžovém, jeden v růžovém, leží na kolečkových bruslích, jeden v růžovém, druhý v růžovém.
Ti čtyři lidé sedí na hromadě kamenů.
Skupina lidí na motorce.
Cyklista v závodním vybavení jede lesem.
Muž v zeleném triku jde po pláži a nese se svou krátkou.
Několik mužů stojí okolo policejního závodního auta.
Dva muži pracují pod kapotou bílého závodního auta.
Děti skáčou z břehu do bazénu.
Muž na okraji zdi se chystá ztat.
Žena v pruhovaném oblečení na kole.
Dívka v černém pózuje na kameru.
Muž v šortkách stojí u vody.
Čtyři černoši sedí na schodech v kostele.
Pilot pracuje uprostřed hromady suti.
Gymnastka v červené a bílé je uprostřed svých chodovce.
Starší dáma v zeleném svetru sbírá zeleninu.
Dva muži dělají věci v místnosti s nástroji.
Učitelka v bílém a malá dívka, který má na sobě žluté šaty, si hraje s budovou.
Malé dítě spí ve své posteli s otevřeným knihou na zádech.
Žena jí v trávě na krásném dni.
Muž jde po dlážděné ulici vedle budovy s červenými růžemi.
Žena v klobouku s kostýmem dělá chléb.
Osaměskládá žena používá velkou idos a aby zahrátátní materiály aby vytátátátní materiály aby zatádá stádky, aby zatátátátní materiály aby zah
Muž v karate hraje před dvěma římům.
Muž ve formálním oděvu hraje na flétnu na chodníku ve městě.
Postarší muž sedí na židli a jí nějaké svého občerstvení.
Žena v bílém triku pracuje za pultem v kavárně.
Muž s pracovním oblečením stojí na zadní části nákladního auta.
Dvě děti se dívají na koních skrz malé plot.
V okně s nějakými řím na tom.
Žena v jasně růžovém triku s nápisem "sevá žena, který má na sobě fialové, stojí před nápisem aby zahračetá žena, co má na sobě fialové tašku.
Kovboj zabalený zabalený na ruku s kapelou.
Muž ve žlutém triku a muž v tmavém modrém triku mluví.
Tři asijští asijští děti sedí na gauči s čísly se snaží v pozadí.
Dívka v červeném tričku skáče do vzduchu aby trefila tenisový míček.
Muž pózuje na kameru s zeleným jeřábem.
Muž s lahví se na sobě s dalším člověkem, zatímco se usmívá v restauraci.
Muž nakládá krabici s mnoha hodněmi a vásky.
Muž v černé bundě hraje na kytaru na veřejném prostranství.
Plavec tancuje v průvodu v průvodu.
Muž stojí na kamenném útesu a vyhlíží na vodní hladině.
Policisté sleduje ženy z autobuse.
Dva muži na středním věku se dívají přes parkoviště, v noci.
Dva muži v modrých košilích se dívají na fotbalový zápas.
Skupina mužů v modrých uniformách stojí spolu.
Mladá žena dělá jógu na pláži.
Velký dav lidí stojí v parku a několik lidí hraje na nástroje.
Muž s balónem na hlavě dělá balón.
Muž griluje maso na venkovním projektu.
Dva muži prodávající ovoce na trhu.
Hnědovlasá žena v bílých bikinách lije nápoj do muže.
Chlapec ve slunečních brýlích běží za stanem.
Smama rukama drží něco, co vypadá jako zdradit na kládě.
Muž v kostkované košili ukazuje na černé sádky.
Dva muži v bílých plastových židlích sedí ve dveřích.
Mladá dívka v červených šatech má na sobě černou kovbojském klobouku.
Muž v červeno-bílé uniformě stojí na poli, aby se podívali na poli.
Lidé skáčou přes horu, když se řízi na provaz.
Lidé se dívají na účastní se účastní, které se prochází maraton.
Lidé na laptopech před velkou oknem.
Dospívající žokej rušné v práci na zemi.
Muž v rukavicích nese kukuřici na poli.
Fotograf je focena v zrcadle.
Svalnatý žena drží balóny na zamonném akci.
Žena sedí v kruhu v oblasti s kočka a dvěma osádky.
Žena sedí u cihlové zdi v budově.
Tři mladé ženy se dívají na sebe, zatímco sedí na červených skrtá židle.
Žena v modrém triku jde ve vesnici.
Šest dětí sedí na schodu s nápisem a píšími.
Béžový pes si hraje s větví na břehu.
Dva psi si hrají, jeden do nich má na sobě jazyku,, které je na jeho žídatu,, které je žatáta.
Dítě je na motorce se usmívá.
Šest lidí se shromáždili kolem jídla.
Santní řízník, které je vyfocen na svých oslavu.
Rodististististi pochoduje v dešti v dešti.
Žena v modré helmě a červených kalhotách jede na motorce.
Několik mužů v bojovém umění, zatímco předvádí nějaké žisivivky, zatímco předvádí nějaké žisivi.
Mladá dáma a muž v kostýmech v kostýmech s skupinou lidí v pozadí.
Muž v uniformě jde po ulici s dvěma auty a stromem.
Mladá žena leze na skálu.
Starší muž ve světle modrém kabátu pracuje na autě na kraji silnice.
Lidé se dívají přes několik barevných kusů na stole.
Muž zpívá a hraje na kytaru do mikrofonu.
Dva muži sedí v restauraci.
Dvě ženy v šortkách běží po pláži podél vody.
Stavební dělníci mají diskuzi u železničních.
Pohled na výletu s římovkou, který má na sobě černé zástěře a bílé čepici, s bílou čepicí stojí uprostřed.
Skupina lidí si hraje na předmět.
Malá dívka v modrém oblečení leze po kovové zábradlí na ulici.
Skupina mužů sedí a povídají si za nějakými zelenými ovoce.
Muž ve žlutém oblečení stojí za mikrofonem pod zemí.
Hnědý pes s fialovou frisbee v puse.
Vypadá to jako muž trénuje muže trénujecí své bojového umění poblíž nějakých žís.
Žena s nápojem a žena s mobilem.
Dítě v červené bundě mává ruku ve vzduchu vedle červené plastového skrtá.
Žena sedí vedle svého kabelku a sleduje psy v parku.
Tři muži stojí na pódiu, jeden má na sobě klauna, jeden má na sobě klauna a drží kytaru.
Žena v kmene sbírá svou trazku v kmenu.
Žena v červených šatech tancuje s mužem v obleku.
Dva malí psi se perou na velký pes s tenisovým míčkem.
Muž s hustými vousy a baseballovou čepicí sedí na lavičce v parku.
Afroamerické kráva stojí na svých zahradě s lesem v pozadí.
Mladá dívka se snaží uskov.
Asijat sedí v restauraci se žlutými židlemi.
Malá dívka jí sušenky, zatímco sedí na židli a má na sobě skrtáta.
Šedovlasý muž v černých rukavicích se pohybuje na trávníku.
Žena čte knihu, zatímco sedí na řadě.
Dítě, která nosí žaže, zatímco se dívá na ženu.
Rodina jde po chodníku sněhem, zatímco muž sedí na kraji svých papíru.
Kodá kočka sedí na vrchu obchodu.
Muž v růžovém triku a černé bundě se sluchátky na sluchátka.
Mladý muž se chystá hodit míč.
Muž a dívka jdou po pokrobném chodníku.
Žena s růžovými vlasy je na chodníku, drží růžový psy.
Muž v obleku drží nápoj v kavárně a jde po chodníku vedle ulice.
Muž skáče s kamenem v pozadí.
Člověk v červené bundě s černými kalhotami drží sisivky.
Žena si dává ruku na osobu, který sedí na vozíčku.
Muž v bílé zástěře vaří něco s vášky na pánové bundě venku.
Žena s taškou tlačí po přechodu a na hlavě čeká.
Skupina mužů jde po ulici ve městě.
Ulice vedle hory s mnoha sloupy.
Skupina lidí v černém stojí na molu u dlouhé budovy.
Muž nese několik hodněu.
Muž středního věku sedí a hraje na akordeon.
Dívka s zelenými rukou, s krátkými vlasy, kravatou a stojí venku.
Mladá dívka v růžovém triku se prochází směrem k oceánu.
Skateboardista v černém tričku a džínách bruslí ve městě.
Muž v bundě fotí velkou budovou.
Lidé na kraji fotbalového fotbalového zápasu.
Velká skupina se připravuje na rodinu čtyřch lidí, který je na rušné ulici.
Skupina lidí jde po ulici ve slunci.
Ulice poblíž zastračené dvou lidí, kde se několik lidí, včetně hnědého, hnědého bundu a má ruku na obličeji.
Nějací nakupují blízko okna.
Tento hráč s modrou helmou je na pálkou a právě odpálil míček během týmu během týmu.
Žena ve zlatém kabátu je v pozadí aby chytili v metru.
Nějací lidé sedí na lavičkách pod řadou stromy před budovou.
Muž v obleku sedí na autobusové zastávce.
Afroameričan je obklopena bílým kýblem a tmavém skrtými kramy a tmavě bedkami.
Mladá brunetka jí a pijí něco.
Muž v obleku a čepici hraje na kytaru na ulici.
Žena v červené vestě pracuje na počítači.
Lidé stojí okolo vosavně a skletají kouře do obličeje.
Muž používá v koupelně do zrcadla aby si svou kravatou.
Husidisiviště, které je na sobě několik jedinců, zatímco baháláta, zatímco se řízá a poslouchá.
Dva mladí muži jedou na velmi malé koni plnémi šertů.
Žena v šatech jde po ulici kolem stavby.
Servírka v obchodě sbírá jídlo na svých domě a mačká idos.
Muž s slunečními brýlemi řídí stavební práci a vykradávají štěrk na zemi.
Miminko si hraje s hračkami a dívá se na černo-bílé zvíře.
Dospívající dívka nese kytaru v lese.
Muž s batohem jde po ulici.
Dva muži se baví před skovi v Lasiských obchodu v Lasi.
Žena v černém drží něco v tlamě.
Skupina lidí sedí venku okolo malého stolu, z nichž.
Muž jede na kole na rampě.
Žena v černém tílku a přechází se do dáli a zírá do dáli.
Tři mladé dívky jdou spolu po chodníku.
Žena s dlouhými vlasy je na huzní obřadu.
Muž skateboarduje na silnici, zatímco jiný muž sleduje z chodníku.
Muž v černém koženém kabátu stojí před nápisem.
Muž a žena spolu hraje venku.
Mladá dívka s kudrnatými blonďatými vlasy leží v trávě, drží s kytkami s kytkami.
Mladá žena s zelenými dresy předvádí protahuje v děsu.
Žena na scéně je na scéně ve veřejném skládce.
Muž klečí, zatímco dělá holuba, zatímco ho hoálá v pozadí.
Skupina mužů stojí na poli.
Rušný den na místním poli prosisivi na místním hřišti.
Muž s cigaretou v puse opravuje talíř s jídlem.
Dva skupina plavců se brodí.
Lidé sedí na lavičce na náměstí s rozsvícenými předměty včetně lampy a šaty.
Stavební dělníci jsou obkáko v kbelíku s kbelíkem.
Muž bez trička v černých šortkách stojí na kamenné pláži, aby vyhlídl velkou vodní plochy.
Cyklista nahlíží na skrtát.
Lidé hrají kulečník, jeden muž v modrém triku a ostatní ženy, aby zahrátají svou žítat a druhý ženy.
Lidé stojí před sochou obklopený vodou.
Žena se dívá na muže s roztrnutými rukama.
Muž středního věku v bílých šortkách a žabkách se dívá na silnici.
Dva muži v tmavém oranžovém tričku se baví u velkého skrasky a sandály.
Dva lidé se perou na jejich lodi.
Muž a žena stojí na ulici ve městě.
Hasiči se připravují z stanice metra.
Čtyři muži, tři z nich mají na sobě svých strněských čepicích, sedí na modré a vlechném podložce.
Toto je velký skupina lidí, která sedí venku na lavičkách.
Muž v červeném triku jde kolem tyrkysově a bílé kostkované jídlo, které je zatátáně a za nimi je napsáno "Sses"."
Trenér tanečníci vystupují na škon.
Starší muž s cigaretou v puse a kšiltovce kontroluje svůj foťák.
Malý orchestr si hraje s otevřenými housle před ním.
Muž v červeném obleku tancuje s ženou.
Dva lidé se dívají v noci v noci.
Dva motorkáři v sklávkých ochranných vybavení, jeden ve vzduchu, zahnutá z skoku a druhý se dívá dolů.
Několik mužů oblečených v oranžové se shromáždili na venkovní akci.
Dvě mladé dívky běží po chodníku před cihlovou budovou s říškami.
Dva muži šplhají na horu.
Dítě leží na zemi vedle kočárku.
Pes, který se osedá muže a žena.
Mnoho lidí na trhu se dívá na různé různé věci.
Dva mladí muži hrají na elektrickou kytaru na pódiu.
Potetovaný muž lije vodu z láhve, v pozadí je muž.
Dva lidé stojí venku vedle ševky a skrmi.
Čtyři lidé jedou na kole na kole poblíž rušné ulice.
Žena v růžovém triku a s brýlemi.
Žena v červeném triku zvedá ruku aby vytátá dav, aby mohli vytátní dav pod ním.
Chlapec v bílých šortkách skáče do jezera nebo řeky.
Malá dívka se dívá skrz dalekohled na pláži.
Několik stavebních dělníků s oranžovými bezpečnostními vestami kopami do země.
Člověk v kapotě stojí před poskranou budovou.
Stavební dělníci sbírají proti Dusisisi na rychodi.
Muž jede na koni s třemi dalšími muži, které se na něj dívají.
Afroameričan jde po ulici.
Dva řízci pózují pro fotku.
Žena s neonově sluchátky píše do notebooku.
Žena v zeleném tričku v tričku mluví do telefonu.
Malý africký dítě nese mladší dítě na zádech.
Skupina lidí sedí na židlích.
Člověk v šátku stojí na ulici před svým předměty.
Orientální člověk v červeném tričku a černých kalhotách se krčí nad kabelku na betonu.
Černý pes a hnědý pes se zamáhuje.
Muž s černou vestou drží model letadla.
Muž v poli s letadlem na výhled.
Muž v obleku a kravatě s zavazadla a s rukama v Lasu ale se na sobě v Londýně 2012.
Dítě jde po chodníku s několika americkou vlajkami.
Černý pes běží trávou s hračkou v puse.
Orientální kol čeká na zamodce na žetém.
Pes se otáčí na trávě aby chytil míč.
Skupina studentů sedí a poslouchá si.
Lidé jedou po ulici v noci.
Velký šedý pokodek a muž na kole.
Muž v oranžovém triku a blonďatých chlapec jedou s dalšími lidmi na kole.
Mladý muž a žena blízko velké kovové sochy.
Dař s červenými, bílo-bílo-modré--modré--bílo---bílém doku si.
Muž v černém klobouku fotí v rušné ulici.
Muž stojí na rušné ulici a dívá se s hlavou.
Žena v černém má na sobě na sobě žluté šaty, na ramenou.
Skupina lidí na ulici na hromadě.
Hnědý motorkář je nakloněnou jiného.
Tři lidé jdou po horské cestě, zatímco se jedna žena dívá do fotoaparátu.
Několik asiatů v černém oblečení v nějakém oblečení.
Žena v červené sukni jde po ulici s graffiti v pozadí.
Pouliční umělec s gymnasti v modro-růžovém oblečení předvádí skrtátá s svou svou svou svou svou svou svou svou svou svou s
Lidé v kašně, žena v bílých šatech sedí na kraji vody a dívá se na.
Muž sedí na lavičce pod velkou stromem.
Tři muži v červenobílých košilích, bílých kalhotách a černých čepicích drží vlajky.
Lidé obdivuje práci.
Buse asijského asijského nakupují s papírem a nakupují.
Tito lidé lezou po schodech aby mohli sjet horu.
Malé dítě v modrém dresu se dívá na nějaké větve v dáli.
Lidé se dívají na děti v obchodě.
Muž s čepicí hraje na buben na buben.
Chlapec stojí s třemi holčičkami.
Usmívající se muž s batohem drží svou židovku před klukem v brýlích.
Čtyři muži jsou venku a dívají se na zelenou most.
Žena odpočívá na prádelně před lidmi, který si užívá.
Dospívající dospělý je na žeztáda za běžícím hodněm.
Pracovníci nakupují a zahračené jídlo, které je zachycen v idodo a vodlu.
Afroameričan protestuje proti nekletné svých idosu.
Policista je na kole a čeká na světlo, aby vyhlítat.
Skupina mužů sedí okolo stolu.
Vádádaských skupina lidí s nápoji v parku, včetně pití.
Žena mluví s kamarádem, zatímco venčí psa venku za slunečného dne.
Mladý muž v šedém a černém triku a bílé čelence.
Dva lidé jedou na motorce s mnoha dalšímimi.
Dvě ženy ve vojenské uniformě stojí s dalšími vojáci v zástěrách.
Tři dívky se smějí na fotce.
Dáma v černém sáda a žlutou mikinou se dívá na stroustádku, zatímco sedí na béžovém pomusu.
Červenovlasý mladý muž pije z vody ze vody aby je tam žena.
Dva muži a žena jdou po ulici ve městě.
Muž středního věku s červenými vlasy a brýlemi drží nemluvně.
Mladý chlapec v červeném klobouku jede na koni.
Dva chlapci si hrají na chodníku.
Malá dívka v černém plavkách drží lopatu na pláži.
Starý muž v klobouku a kabátu spí na gauči.
Dva chlapci se dívají na oblohu a mává rukama v oblečení a za nimi jsou za nimi.
Mladý pár sedí na chodníku a relaxují spolu.
Mladý chlapec v košili a kravatě se krčí a ukazuje gesto gesto gesto gesto.
Tři lidé sedí u stolu před stolem "Conssských chid.
Chlapec v černém triku a červené ryskuje vzhůru nohama, zatímco se ostatní lidé dívají.
Muž jde před barevnými stěnou.
Mladý muž jde s jinými mladým mužem, který právě zahratáta na tři dívky, které právě vyklají.
Muž v kmenu dává skrtá strom v otevřených kavárně.
Pět lidí jde po schodech po schodech, vedle ženy.
Skupina lidí na venkovním trhu.
Dva chlapci jedí svou vluvají na venkovních skrněné oblasti, jsou obklopeni spoustou lidí.
Žena v džínové bundě jde po chodníku.
Muž řídí čtyři auta s čtyřmi pasažéry, kteří sedí na zádech a muž sedí na zádech.
Muž v modré košili čte noviny.
Chlapec v kočárku má na sobě zelenou košili a drží knihu.
Dvě děti sedí vedle sebe, zatímco jedí.
Lidé jedou na kole na ulici, v helmách.
Dav lidí na kolech.
Muž sedí na plošině s kolem je taženou tyč.
Muž na kole pádluje skrz oblouk.
Barevně oblečený mladý muž s dalšími vohádá, sedí a kouří cigaretu.
Dva muži v oblecích pod deštníkem a před grafitti.
Starý muž s špinavým bílým tričkem jede na kole na ulici.
Muž jede na koni se snaží sjet provazem.
Kovboj se snaží chytit tele tele na koni.
Dva cyklisté se přilbou jedou kolem nějakých prázdných hřiště.
Muž se opírá o něco, co něco vy něco, co něco vysítá z tašky.
Muž v autě projíždí kolem sebe v parku.
Člověk s tetováním se dívá na fotku na digitálním kameru a telefonuje.
Muž v černém triku a džínách stojí na chodníku a dívá se na foťák.
Chlapec a dívka stojí na chodníku, zatímco se dívají na věc.
Několik lidí v modrém, a jedna v sukni a černé blůze.
Žena a pes sedí na bílé lavičce blízko pláže.
Dvě ženy jdou ve špinavém domě kolem velké budovy.
Skupina mužů a dítě v bílých košilích stojí na silnici.
Žena v černém a nese černou tašku na chodníku.
Skupina mužů sedí u stolu a povídají si.
Pohled na kraji budovy.
Asiat v rukavicích pracuje u jídelního stánku s jídlem.
Žena sedí u stolu, zatímco pracuje na svém laptopu.
Člověk se dívá na počítače na stole s telefonem a krabici.
Muž sedí na židli a sleduje lidi se prochází.
Dva lidé v čepicích stojí na poli a skrtají na trojk.
Nějací skok přes tyč v Lasu.
Muž oblečený v botách a kovbojském klobouku sedí na koni, který skáče, zatímco ho diváci sedí ve stoje.
Dvě mladé dívky sedí na ulici a jí kukuřici.
Tři děti v fotbalové uniformě se dvěma různých týmů hrají fotbal na fotbalovém hřišti, zatímco jiný hráč a dospělý stojí v pozadí.
Malé dítě s špinavým obličejem, který je držena starší ženou.
Muž s brýlemi se dívá na kameru, zatímco jiný muž v modrém triku se dívá na něco.
Dva lidé sedí pod stromem s zelenými zeleninu.
Mladý chlapec v modrém klobouku se dívá skrz dalekohled, zatímco jiný chlapec sleduje.
3 muži vaří v malé kuchyni.
Mladá dívka v šedém saku pádluje na zasněženém horu.
Skupina ve vesnici se sešla v tanečním tančí.
Muž a žena si dávají v prádelně s idítky.
Mladá dívka sedí na dřevěné židli.
Dva pracovníci sváří na tyč s plotem poblíž rušné ulice.
Dlouhovlasý mladý muž skateboarduje na zábradlí na měžce.
V venkovním tržišti dva muži odhazuje sníh a sjíždějí z cesty.
Muž v bílém triku hraje na bílou kytaru.
Mladá dívka ukazuje svého kamaráda, jak používatátá záběr.
Malý chlapec skáče z mola do jezera.
Dáma s zelenými maskou na idoda a právě se dívají velmi, aby se zatrát velmi jiní.
Muž v oranžové bundě a modré čepici leze po zasněženém horu.
Malá dívka s blonďatými vlasy si hraje a cáká se v bahu.
Dítě jede na kole po chodbě s graffiti.
Gymnasta je na akci na akci.
Lidé jdou po ulici s pouličními prodej.
Muž v tradičním oblečení, který je v tradičních šatech, zatímco stojí vedle svého doru, zatímco stojí vedle ní, že je vidět.
Dvě děti si hrají na kole.
Dva muži na stadionu hrají fotbal na poli.
Muž skáče a pózuje na zemi.
Dívka si dává nápoj z fontány.
Pilot Řebarkuje na zádech vodu během sebe.
Muž v laboratorním kabátu se dívá skrz mikroskop.
Blondýna spí na hnědém gauči.
Muž zametá chodník před cihlovou budovou během dne.
Tři muži vaří v kuchyni.
Muž na lešení před domem se usmívá a pózuje pro fotografa.
Dvě dívky v šortkách se drží za ruce v bazénu.
Čtyři asijští asijští děti sedí na lavičce a usmívají se do kamery.
Děti jedou na kole ve, co vypadá jako idos.
Mladý chlapec v šéfkuchařské čepici a zástěře krájí v kuchyni v kuchyni.
Toto je klauna na děvní školy.
Usmívající se skonáda drží svou dřevěných loď.
Žlutý buldozer pracuje aby se napadá hlínu.
Žena v červeném triku jede na bílém koni, který je na sobě na bílém koni.
Žena sedí na velmi velké skále a usmívá se do objektivu s stromy v pozadí.
Tři muži v jasně barevných kostýmech se dívají na ulici s parukami a s brýlemi.
Dívka si hraje v malém bazénu.
Dvě děti, chlapec ve žlutém tričku a dívka v modro-bílém pruhovaném, se houpají.
Muž hází rybářskými síť do kudi.
Muž v šedém triku, modrých džínách a neonově zelené vestě stojí na železniční trati s bílými auty a bílými budovou v pozadí.
Dva dělníci pracují na kovovém kovovém pásu.
Je tam kapela na pódiu s členem v řísivi.
Stojící záběr svou košilí z zpívá do mikrofonu, zatímco hraje na bubny.
Pohled svůj předměty z nákupního vozíku, připravena na tom prosedát.
Muž s hůlkou na chůdách.
Žena v bílém triku pracuje na kolotoči.
Dívka v masce jede na ramenou po dlážděném chodníku.
Dvě dívky, jedna starší a v černém a jedna mladší a v bílém, předvádějí míč před odskram.
Několik žen vystupuje před budovou.
Plešatý muž jde po chodníku, zatímco mluví do telefonu.
Žena si hraje s výrazem, zatímco malé dítě v kostýmu prochází kolem.
Skupina lidí sleduje mladých mužů, jak hraje na bubny na bubny.
Dívka s nápisem a domy s ochranným vybavením.
Malá bílý auto je na vlaka a za ním nežeže nežežaže.
Dva rockové kapely zpívají a hrají na tmavém pódiu.
Dívka v kšiltovce, bílém tričku a modrých šortkách stojí na kameni a je nahlítně lesní hory.
Dva muži hrají na kytaru před velkým obecenstvem.
Několik lidí tancuje s rukama, zatímco se ostatní před nějakými velkými domem.
Žena a pes prodává své zboží na staré budově.
Žena a dva muži, kteří jsou oblečeni, mají na sobě oblečení, mají diskuzi.
Skupina mužů v červené a černých bundách čeká na motorkách.
Muž oblečený v bílé uniformě s číslem 3 na tom hraje fotbal.
Muž prodává svůj svůj svou sportovní událost.
Dva muži z zeleného týmu se snaží zuzt druhého z černého týmu během hry.
Děti běží aby zahrát míč.
Člověk v modrém je na osobu, který hází míč na bowlingové dráze.
Několik fotbalistů na hřišti v akci.
Mladý muž sedí na skateboardu, drží mobil a pózuje na eskalátorech.
Dáma v modrém běží maraton.
Toto je kapela se připravuje na představení před publikem v kostele.
Hráč číslo "Ssas" s rukama "Sos" a snaží se zatrátit hráču a snaží se chytit.
Dva muži, který žářiž se na ledu zametá cestu před loukem, zatímco malý dav sleduje.
Muži hrají fotbal na bahu.
Basketbalista v bílém dřepí, zatímco hráč v červeném se dívá směrem k němu.
Lidé jdou skrz obloukem ve starém městě.
Dva závodníci, jeden červeného a jeden z modrého, jedou po straně dráze, zatímco se za ním projíždí několik diváků.
Fotbalista v bílém dresu drží fotbalový míč.
Velmi mladý chlapec zírá, zatímco se na něj kouše malé věc.
Žena a dítě jdou po ulici.
Hokejový zápas je na sobě se spoustou lidí, co se dívají.
Tři ženy skáčou na trávě.
Afroameričan v modrých šortkách, černo-bílém tričku a bílých krátkých krátkou, a bílých krátkou.
Muž a žena v bílých košilích objímající se.
Muž mluví s rodinou a usmívá se na nějakém poli a usmívají se na poli.
Vousatý chlapec v zeleném triku leží na bílém posteli.
Pohled na cyklistu se zastavil, aby odpočívají v pozadí.
Žena je na kole v zasněženém prostoru s rozkrovnou oblečením.
Čtyři dívky a žena se učí jak jak si prohlíží nějakého otce.
Muž v černo-bílé pruhované pruhované se snaží na zahratu.
Muž dělá obrázek, která je v modrém triku, který je na tom, co je na tom, co je na tom.
Žena s červenými vlasy je v třepě v klidném modré vodě.
Dva mladí chlapci pózují s koklem na rodině.
Čtyři děti trénují karate, zatímco dva dospělí sledují.
Muž odpočívá na červené gauči v davu.
Skupina lidí mluví u stolů.
Dva koně závodí, jeden v červeném a červené a červené, a druhý v oranžovo-černém, se perou za rozmazaným pozadí.
Červené auto je před dvěma auty v pozadí.
Velký býkista, který je na sobě, co je zsedátka, v rodeu, zatímco ho rodeo muž běží, zatímco se jeho žížtátá.
Muž bez trička jde k žlutém kajaku.
Chlapec na ohnisi a rychádá.
Dva týmy v písku hrají fotbal.
Dítě v modrém a dítě v bílém stojí na malé betonové zdi u potoka.
Žena maluje kytici na hliněném hrtu.
Lidé jdou po rušné ulici v cizí zemi.
Modoska se hráčem na hlavě hází míč.
Dva muži, jeden v černo-bílé a druhý v červeném, hrají na hřišti volejbal.
Muž stojí na lodi a drží nějaké síť.
Surfař, který spadl z jeho surfu v oceánu, zatímco se snaží sjet vlnu.
Posádka připravuje ochutnávky v laborato.
Fotbalisté skáčou do vzduchu aby trefil míč s hlavami.
Dva chlapci hrají fotbal.
Starší člověk přechází ulici s deštníkem v rukou.
Skupina běžců běží směrem k dvouchodů.
Skateboardista jede na betonové zdi vedle betonové zdi.
Lidé hrají dámu v bazénu.
Muž fotící se na chlapa.
Muž podepisuje na autovu v malé chlapce.
Mladý muž v modrém triku jede na skateboardu na skateboardu v městské oblasti.
Asiat sedí na železniční trati s kabely a říchmimi.
Středně chlapa oblečený v plném oděvu mává svou klobouk a dívá se na vodu.
Dva auta jedou na závodní dráze.
Muž v černo-bílém dresu drží žluté sám a připravuje se na sobě na žlutých sáňkách.
Dva lidé leží a líbají se na travnatém trávníku.
Velmi malé dítě v džínové kšiltovce jí zelenou jablko.
Fotbalisté běží k míči.
Muž v černé bundě a kostkované čepici hraje na elektrickou kytaru na pódiu s zpěvákem a druhý na pozadí.
Muž skáče přes překážku od býka.
Žena v modrém triku a bílých šortkách hraje tenis.
Muž hraje na koncertě na koncertě.
Muž nese velkou na rameno velký zvedáda na rameno.
Žena s kamerou hází frisbee na hnědém psovi, aby chytili.
Je zde z ulice, zatímco žena sleduje svých žítu a druhý na nějakém předmětu.
Dvě dívky si dávají za ruce ve fontáně, zatímco lidé jdou kolem.
Mokrýž se usmívá se dítě bez trika pózuje s rukama.
Dva muži, jeden v bílém a druhý v modrém, zápasí.
Žena v červených bikinách skáče aby trefil míč, zatímco hraje volejbal na pláži.
Tanečnice na nose, který podává blonďatá blonďatá dívka na nose.
Žena ve žlutém zástěře fotí váda z velké hrnce.
Dvě děti přechází malé mostě, jak používá kamenné most.
Dvěfroamerické ženy jedou na mopedu po ulici, aby se zdá být hodně města, co vypadá jako velké městské oblasti.
Dva chlapci před skrtým strojem.
Cyklista v černém jede po špinavé cestě na špinavém kole.
Dáma s tetováním fotí obrazy svou prostředku.
Žena v hodně-bílém oblečení a bílé helmě jede na kole s rozmazaným stromy v pozadí.
Tým cyklistů se ohýbá, zatímco se divácií a fotí.
Čtyři fotbalisté v černém dresu se snaží protihráče, v bílém, zatímco je v dešti.
Běžkyně rymoládasi na zahradě, zatímco se řížá posklátá.
Basketbalista v bílém dresu s číslem 5 v černém dresu se číslem 5.
Muž mluví na telefonu venku.
Hráči týmu během týmu během hry se dívají na protihráče.
Cyklista na čtyřkolce v lese za slunečného dne.
Tři basketbalisté basketbalu, které se perou na míč a druhý v červeném dresu se snaží chytit míč z chlapy v bílém dresu.
Chlapec se snaží nohu, když skáče do vzduchu.
Dvě děti v pruhovaných svetrech a černých kalhotách se baví venku poblíž.
Muž ve slunečních brýlích jede na skútru.
Malý chlapec v dresu je na hlavě, co se drží pálkou za hlavou, zatímco se za ním je hráč.
Šest mužů sedí na poli s dřevěnými bedkami.
Hnědý pes sbírá z kamenného povrchu.
Tento muž oblečený do žlutého drží na hnědém koni.
Muž v bílém triku a zástěře krájí ptáka.
Shromážděná žena používá venku v prádelně.
Běžkyně běžci závodí na ulici ve městě, zatímco se ostatní lidé stojí okolo.
Asijatka v letním klobouku jede na kole.
Nějací děti venku, které si hrají v hlíně, kde dva stromů.
Starší muž hraje video video aklávky.
Dívka na pláži na pláži s horou v dáli.
